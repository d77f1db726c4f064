using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// The timeline as one self-contained HTML page (no external script, style or font): a canvas with
/// a row per hthread, per vmblock doing kernel work and per context stranded at the end; coloured
/// spans (guest, BKL spin, kernel), ticks for traps, red marks for faults, arrows for messages.
/// Wheel zooms at the pointer, drag pans, hover shows details, labels appear where there is room,
/// and only what is in view is drawn, so a storm of thousands of contexts stays responsive. The data
/// is embedded compactly (per row: start deltas, durations, indexes into one string table), so
/// such a storm is a page of a few MB. The page itself is TimelinePage.html, embedded here.
/// </summary>
public static class TimelineHtmlWriter
{
    private const string DataMarker = "/*DATA*/";
    private const string TitleMarker = "__TITLE__";

    public static void Write(Stream stream, TimelineDocument document)
    {
        var page = Template().Replace(TitleMarker, WebUtility.HtmlEncode(document.Title), StringComparison.Ordinal);
        var cut = page.IndexOf(DataMarker, StringComparison.Ordinal);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        stream.Write(utf8.GetBytes(page[..cut]));
        stream.Flush();

        // The default encoder escapes '<', so the data can never close its <script> element.
        using (var json = new Utf8JsonWriter(stream))
        {
            WriteData(json, document);
        }

        stream.Write(utf8.GetBytes(page[(cut + DataMarker.Length)..]));
    }

    public static void Write(string path, TimelineDocument document)
    {
        using var stream = File.Create(path);
        Write(stream, document);
    }

    private static string Template()
    {
        using var resource = typeof(TimelineHtmlWriter).Assembly.GetManifestResourceStream("H2Sim.HwThreadActors.Timeline.TimelinePage.html")
            ?? throw new InvalidOperationException("the timeline page template is not embedded in the assembly");
        using var reader = new StreamReader(resource, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static void WriteData(Utf8JsonWriter json, TimelineDocument document)
    {
        var row = new Dictionary<(int, int), int>();
        for (var i = 0; i < document.Tracks.Count; i++)
        {
            row[(document.Tracks[i].Cluster, document.Tracks[i].Track)] = i;
        }

        var labels = new StringTable();
        var contexts = new StringTable();
        json.WriteStartObject();
        json.WriteString("title", document.Title);
        json.WriteNumber("end", document.EndCycles);
        json.WriteStartArray("tracks");
        foreach (var track in document.Tracks)
        {
            json.WriteStringValue($"c{track.Cluster} {track.Name}");
        }

        json.WriteEndArray();
        WriteSpans(json, document, row, labels, contexts);
        WriteInstants(json, document, row, labels);
        WriteFlows(json, document, row, labels);
        WriteStranded(json, document, row);
        labels.Write(json, "labels");
        contexts.Write(json, "contexts");
        json.WriteEndObject();
    }

    /// <summary>Per row: start − previous start, duration, label·4 + state, context + 1 (0: none).</summary>
    private static void WriteSpans(Utf8JsonWriter json, TimelineDocument document, Dictionary<(int, int), int> row, StringTable labels, StringTable contexts)
    {
        var byRow = document.Spans.GroupBy(s => row[(s.Cluster, s.Track)]).ToDictionary(g => g.Key, g => g.ToList());
        json.WriteStartArray("spans");
        for (var r = 0; r < document.Tracks.Count; r++)
        {
            json.WriteStartArray();
            ulong previous = 0;
            foreach (var span in byRow.GetValueOrDefault(r) ?? [])
            {
                json.WriteNumberValue(span.Start - previous);
                json.WriteNumberValue(span.End - span.Start);
                json.WriteNumberValue((labels.Index(span.Label) * 4) + StateCode(span.State));
                json.WriteNumberValue(span.Context is { } c ? contexts.Index($"{c.VmName} {c.Id} (vm {c.Vmidx}, cpuidx {c.Cpuidx})") + 1 : 0);
                previous = span.Start;
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    /// <summary>Per row: cycles − previous, label·2 + (1 for a fault).</summary>
    private static void WriteInstants(Utf8JsonWriter json, TimelineDocument document, Dictionary<(int, int), int> row, StringTable labels)
    {
        var byRow = document.Instants.GroupBy(i => row[(i.Cluster, i.Track)]).ToDictionary(g => g.Key, g => g.ToList());
        json.WriteStartArray("instants");
        for (var r = 0; r < document.Tracks.Count; r++)
        {
            json.WriteStartArray();
            ulong previous = 0;
            foreach (var instant in byRow.GetValueOrDefault(r) ?? [])
            {
                var label = instant.Context is { } c ? $"{instant.Label} by {c.VmName} {c.Id}" : instant.Label;
                json.WriteNumberValue(instant.Cycles - previous);
                json.WriteNumberValue((labels.Index(label) * 2) + (instant.IsFault ? 1 : 0));
                previous = instant.Cycles;
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    /// <summary>Flat, 8 per message: from row, send − previous send, to row, latency, name, source, sequence, fault + 1 (0: none).</summary>
    private static void WriteFlows(Utf8JsonWriter json, TimelineDocument document, Dictionary<(int, int), int> row, StringTable labels)
    {
        json.WriteStartArray("flows");
        ulong previous = 0;
        foreach (var flow in document.Flows)
        {
            var id = flow.MessageId.Split(':');
            json.WriteNumberValue(row[(flow.FromCluster, flow.FromTrack)]);
            json.WriteNumberValue(flow.FromCycles - previous);
            json.WriteNumberValue(row[(flow.ToCluster, flow.ToTrack)]);
            json.WriteNumberValue(flow.ToCycles - flow.FromCycles);
            json.WriteNumberValue(labels.Index(flow.Arguments.Length > 0 ? $"{flow.Name} ({flow.Arguments})" : flow.Name));
            json.WriteNumberValue(ulong.Parse(id[0], CultureInfo.InvariantCulture));
            json.WriteNumberValue(ulong.Parse(id[1], CultureInfo.InvariantCulture));
            json.WriteNumberValue(flow.Fault is { } fault ? labels.Index(fault) + 1 : 0);
            previous = flow.FromCycles;
        }

        json.WriteEndArray();
    }

    private static void WriteStranded(Utf8JsonWriter json, TimelineDocument document, Dictionary<(int, int), int> row)
    {
        json.WriteStartArray("stranded");
        foreach (var s in document.Stranded)
        {
            json.WriteStartObject();
            json.WriteNumber("track", row[(s.Cluster, s.Track)]);
            json.WriteNumber("since", s.SinceCycles);
            var vm = s.VmName.Length > 0 ? $"vm {s.Vmidx} ({s.VmName})" : $"vm {s.Vmidx}";
            json.WriteString("text", $"{vm} cpuidx {s.Cpuidx} {s.Status}: waits on {s.WaitsOn}");
            json.WriteString("who", s.WhoCouldWake);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static int StateCode(TimelineState state) => state switch
    {
        TimelineState.Guest => 0,
        TimelineState.BklSpin => 1,
        _ => 2,
    };

    /// <summary>Strings written once and referred to by index, in the order first used.</summary>
    private sealed class StringTable
    {
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
        private readonly List<string> strings = new();

        public int Index(string text)
        {
            if (!index.TryGetValue(text, out var i))
            {
                i = strings.Count;
                index[text] = i;
                strings.Add(text);
            }

            return i;
        }

        public void Write(Utf8JsonWriter json, string name)
        {
            json.WriteStartArray(name);
            foreach (var text in strings)
            {
                json.WriteStringValue(text);
            }

            json.WriteEndArray();
        }
    }
}
