using System.Globalization;
using System.Net;
using System.Text;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// The same timeline as one self-contained HTML page with an inline SVG: a row per hthread per
/// cluster, coloured spans (guest, BKL spin, kernel), ticks for traps, red marks for faults and
/// arrows for messages; hover any shape for its label. No script, no external files. The time
/// axis is compressed: stretches where nothing starts or ends (a long spin) shrink
/// logarithmically and are marked with a dashed break and their length, so the kernel sections
/// around them stay readable.
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
        var axis = new CompressedAxis(
            timeline.Spans.SelectMany(s => new[] { s.Start, s.End })
                .Concat(timeline.Instants.Select(i => i.Cycles))
                .Concat(timeline.Flows.SelectMany(f => new[] { f.FromCycles, f.ToCycles }))
                .Append(0UL)
                .Append(end),
            LabelWidth,
            Width - 10);
        double X(ulong cycles) => axis.X(cycles);
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

        foreach (var (from, to, x) in axis.Breaks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1='{x:0.##}' y1='24' x2='{x:0.##}' y2='{height - 30}' stroke='#bbb' stroke-dasharray='3,3'><title>{to - from:N0} quiet cycles ({from:N0}..{to:N0}) compressed</title></line>");
        }

        foreach (var (cycles, x) in axis.Ticks(110))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x='{x:0.#}' y='{height - 24}' fill='#666' font-size='9'>{cycles:N0}</text>");
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

        svg.Append(CultureInfo.InvariantCulture, $"<text x='{LabelWidth}' y='{height - 8}'>virtual time in cycles (dashed lines: quiet stretches compressed); run ends at {end:N0}</text></svg>");
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

    /// <summary>
    /// Maps cycles to x: between consecutive boundaries (times where something starts or ends),
    /// a gap of d cycles takes d units up to 500 and 500 + 150·ln(d/500) beyond, scaled to width.
    /// </summary>
    private sealed class CompressedAxis
    {
        private const double Linear = 500;
        private readonly ulong[] points;
        private readonly double[] offsets;
        private readonly double left;
        private readonly double scale;

        public CompressedAxis(IEnumerable<ulong> boundaries, double left, double right)
        {
            points = boundaries.Distinct().Order().ToArray();
            offsets = new double[points.Length];
            for (var i = 1; i < points.Length; i++)
            {
                offsets[i] = offsets[i - 1] + Width(points[i] - points[i - 1]);
            }

            this.left = left;
            scale = offsets[^1] > 0 ? (right - left) / offsets[^1] : 1;
        }

        public IEnumerable<(ulong From, ulong To, double X)> Breaks
        {
            get
            {
                for (var i = 1; i < points.Length; i++)
                {
                    if (points[i] - points[i - 1] > 20 * Linear)
                    {
                        yield return (points[i - 1], points[i], X((points[i - 1] + points[i]) / 2));
                    }
                }
            }
        }

        public double X(ulong cycles)
        {
            var i = Array.BinarySearch(points, cycles);
            if (i >= 0)
            {
                return left + (offsets[i] * scale);
            }

            i = ~i;
            if (i == 0)
            {
                return left;
            }

            if (i >= points.Length)
            {
                return left + (offsets[^1] * scale);
            }

            var gap = points[i] - points[i - 1];
            var within = Width(cycles - points[i - 1]) / Width(gap);
            return left + ((offsets[i - 1] + (within * (offsets[i] - offsets[i - 1]))) * scale);
        }

        /// <summary>Tick labels at boundaries at least <paramref name="spacing"/> pixels apart.</summary>
        public IEnumerable<(ulong Cycles, double X)> Ticks(double spacing)
        {
            var last = double.NegativeInfinity;
            foreach (var point in points)
            {
                var x = X(point);
                if (x - last >= spacing)
                {
                    last = x;
                    yield return (point, x);
                }
            }
        }

        private static double Width(ulong gap) => gap <= Linear ? gap : Linear + (150 * Math.Log(gap / Linear));
    }
}
