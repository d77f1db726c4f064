using System.Text.Json;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// Writes a timeline in the Chrome trace-event format (opens in Perfetto or chrome://tracing):
/// one process per Hexagon cluster, one thread track per hthread (and per vmblock doing kernel
/// work), complete events for spans, instants for traps and faults, flow arrows for messages.
/// Timestamps are virtual cycles shown as microseconds (1 µs in the viewer = 1 cycle).
/// </summary>
public static class ChromeTraceWriter
{
    public static void Write(string path, TimelineRecorder timeline, string title)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartObject("otherData");
        json.WriteString("title", title);
        json.WriteString("timeUnit", "1 us = 1 cycle");
        json.WriteEndObject();
        json.WriteStartArray("traceEvents");

        foreach (var (cluster, track) in Tracks(timeline))
        {
            Metadata(json, "process_name", cluster, track, $"cluster {cluster}");
            Metadata(json, "thread_name", cluster, track, track >= 100 ? $"vmblock {track - 100}" : $"hthread {track}");
        }

        foreach (var span in timeline.Spans.OrderBy(s => s.Cluster).ThenBy(s => s.Track).ThenBy(s => s.Start))
        {
            json.WriteStartObject();
            json.WriteString("name", span.Label);
            json.WriteString("cat", span.State.ToString());
            json.WriteString("ph", "X");
            json.WriteNumber("ts", span.Start);
            json.WriteNumber("dur", span.End - span.Start);
            json.WriteNumber("pid", span.Cluster);
            json.WriteNumber("tid", span.Track);
            json.WriteEndObject();
        }

        foreach (var instant in timeline.Instants)
        {
            json.WriteStartObject();
            json.WriteString("name", instant.Label);
            json.WriteString("cat", instant.IsFault ? "fault" : "trap");
            json.WriteString("ph", "i");
            json.WriteString("s", "t");
            json.WriteNumber("ts", instant.Cycles);
            json.WriteNumber("pid", instant.Cluster);
            json.WriteNumber("tid", instant.Track);
            json.WriteEndObject();
        }

        foreach (var flow in timeline.Flows)
        {
            FlowEnd(json, flow, "s", flow.FromCluster, flow.FromTrack, flow.FromCycles);
            FlowEnd(json, flow, "f", flow.ToCluster, flow.ToTrack, flow.ToCycles);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static IEnumerable<(int Cluster, int Track)> Tracks(TimelineRecorder timeline) =>
        timeline.Spans.Select(s => (s.Cluster, s.Track))
            .Concat(timeline.Instants.Select(i => (i.Cluster, i.Track)))
            .Concat(timeline.Flows.SelectMany(f => new[] { (f.FromCluster, f.FromTrack), (f.ToCluster, f.ToTrack) }))
            .Distinct()
            .Order();

    private static void Metadata(Utf8JsonWriter json, string name, int cluster, int track, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("ts", 0);
        json.WriteNumber("pid", cluster);
        json.WriteNumber("tid", track);
        json.WriteStartObject("args");
        json.WriteString("name", value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void FlowEnd(Utf8JsonWriter json, TimelineFlow flow, string phase, int cluster, int track, ulong cycles)
    {
        json.WriteStartObject();
        json.WriteString("name", flow.Name);
        json.WriteString("cat", "message");
        json.WriteString("ph", phase);
        json.WriteNumber("id", flow.Id);
        if (phase == "f")
        {
            json.WriteString("bp", "e");
        }

        json.WriteNumber("ts", cycles);
        json.WriteNumber("pid", cluster);
        json.WriteNumber("tid", track);
        json.WriteEndObject();
    }
}
