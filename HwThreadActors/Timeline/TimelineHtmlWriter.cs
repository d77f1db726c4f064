using System.Globalization;
using System.Net;
using System.Text;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// The same timeline as one self-contained HTML page with an inline SVG: a row per hthread per
/// cluster, coloured spans (guest, BKL spin, kernel), ticks for traps, red marks for faults and
/// arrows for messages; hover any shape for its label. No script, no external files.
/// </summary>
public static class TimelineHtmlWriter
{
    private const int RowHeight = 26;
    private const int LabelWidth = 150;
    private const int Width = 1400;

    public static void Write(string path, TimelineRecorder timeline, string title)
    {
        var tracks = timeline.Spans.Select(s => (s.Cluster, s.Track))
            .Concat(timeline.Instants.Select(i => (i.Cluster, i.Track)))
            .Concat(timeline.Flows.SelectMany(f => new[] { (f.FromCluster, f.FromTrack), (f.ToCluster, f.ToTrack) }))
            .Distinct().Order().ToList();
        var row = tracks.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var end = Math.Max(1UL, timeline.Spans.Select(s => s.End).Concat(timeline.Instants.Select(i => i.Cycles)).DefaultIfEmpty(1UL).Max());
        double X(ulong cycles) => LabelWidth + ((Width - LabelWidth - 10) * (cycles / (double)end));
        double Y(int cluster, int track) => 30 + (row[(cluster, track)] * RowHeight);
        var height = 60 + (tracks.Count * RowHeight);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns='http://www.w3.org/2000/svg' width='{Width}' height='{height}' font-family='monospace' font-size='11'>");
        svg.Append("<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='6' markerHeight='6' orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#333'/></marker></defs>");
        foreach (var (cluster, track) in tracks)
        {
            var y = Y(cluster, track);
            var name = track >= 100 ? $"c{cluster} vmblock {track - 100}" : $"c{cluster} hthread {track}";
            svg.Append(CultureInfo.InvariantCulture, $"<text x='4' y='{y + 16:0.#}'>{name}</text><line x1='{LabelWidth}' y1='{y + RowHeight - 2:0.#}' x2='{Width}' y2='{y + RowHeight - 2:0.#}' stroke='#eee'/>");
        }

        foreach (var span in timeline.Spans)
        {
            var x = X(span.Start);
            var w = Math.Max(1, X(span.End) - x);
            var colour = span.State switch
            {
                TimelineState.Guest => "#7fb77e",
                TimelineState.BklSpin => "#f0b429",
                _ => "#5b8def",
            };
            svg.Append(CultureInfo.InvariantCulture, $"<rect x='{x:0.##}' y='{Y(span.Cluster, span.Track) + 3:0.#}' width='{w:0.##}' height='{RowHeight - 8}' fill='{colour}'><title>{Escape(span.Label)} [{span.Start}..{span.End})</title></rect>");
        }

        foreach (var flow in timeline.Flows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1='{X(flow.FromCycles):0.##}' y1='{Y(flow.FromCluster, flow.FromTrack) + 12:0.#}' x2='{X(flow.ToCycles):0.##}' y2='{Y(flow.ToCluster, flow.ToTrack) + 12:0.#}' stroke='#333' stroke-width='0.8' marker-end='url(#arrow)'><title>{Escape(flow.Name)} {flow.FromCycles} → {flow.ToCycles}</title></line>");
        }

        foreach (var instant in timeline.Instants)
        {
            var x = X(instant.Cycles);
            var y = Y(instant.Cluster, instant.Track);
            svg.Append(instant.IsFault
                ? string.Create(CultureInfo.InvariantCulture, $"<path d='M{x - 5:0.##},{y + 2:0.#} L{x + 5:0.##},{y + 2:0.#} L{x:0.##},{y + 14:0.#} z' fill='#d64545'><title>{Escape(instant.Label)} @ {instant.Cycles}</title></path>")
                : string.Create(CultureInfo.InvariantCulture, $"<line x1='{x:0.##}' y1='{y:0.#}' x2='{x:0.##}' y2='{y + 6:0.#}' stroke='#222'><title>{Escape(instant.Label)} @ {instant.Cycles}</title></line>"));
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x='{LabelWidth}' y='{height - 10}'>0</text><text x='{Width - 120}' y='{height - 10}'>{end:N0} cycles</text></svg>");
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{Escape(title)}</title>
            <style>body{"{"}font-family:sans-serif;margin:16px{"}"} .key span{"{"}display:inline-block;width:14px;height:10px;margin:0 4px 0 12px{"}"}</style></head>
            <body><h1>{Escape(title)}</h1>
            <p class="key"><span style="background:#7fb77e"></span>guest code <span style="background:#f0b429"></span>spinning for the BKL <span style="background:#5b8def"></span>kernel (BKL held) <span style="background:#d64545"></span>injected fault &#8594; message (IPI, KILL, CHILDINT, BKL handover); hover for details</p>
            {svg}
            </body></html>
            """;
        File.WriteAllText(path, html);
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
