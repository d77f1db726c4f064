using System.Text.Json;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// Writes a timeline in the Chrome trace-event format (opens in Perfetto or chrome://tracing;
/// docs/timeline.md). One process per Hexagon cluster, one named thread track per hthread, per
/// vmblock doing kernel work and per context stranded at the end; complete events ("X") for spans,
/// instants ("i") for traps and faults, flow events ("s", "f" with bp "e") for messages, each end
/// bound to the slice around it. Every event carries args: state, VM, cpuidx and context, or the
/// message's id, kind and fault. The clock: 1 cycle = 1 ns, so ts (µs) = cycles / 1000 and the
/// viewer, with displayTimeUnit "ns", shows cycles.
/// </summary>
public static class ChromeTraceWriter
{
    public static void Write(Stream stream, TimelineDocument document)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ns");
        json.WriteStartObject("otherData");
        json.WriteString("title", document.Title);
        json.WriteString("clock", "1 cycle = 1 ns: ts in microseconds is cycles / 1000");
        json.WriteNumber("endCycles", document.EndCycles);
        json.WriteEndObject();
        json.WriteStartArray("traceEvents");
        WriteTracks(json, document);
        WriteSpans(json, document);
        WriteInstants(json, document);
        WriteStranded(json, document);
        WriteFlows(json, document);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void Write(string path, TimelineDocument document)
    {
        using var stream = File.Create(path);
        Write(stream, document);
    }

    /// <summary>Cycles as trace microseconds, exactly (1 cycle = 1 ns).</summary>
    private static decimal Micros(ulong cycles) => cycles / 1000m;

    private static void WriteTracks(Utf8JsonWriter json, TimelineDocument document)
    {
        foreach (var cluster in document.Tracks.Select(t => t.Cluster).Distinct())
        {
            Metadata(json, "process_name", cluster, 0, "name", $"cluster {cluster}");
            Metadata(json, "process_sort_index", cluster, 0, "sort_index", cluster);
        }

        foreach (var track in document.Tracks)
        {
            Metadata(json, "thread_name", track.Cluster, track.Track, "name", track.Name);
            Metadata(json, "thread_sort_index", track.Cluster, track.Track, "sort_index", track.Track);
        }
    }

    private static void Metadata(Utf8JsonWriter json, string name, int pid, int tid, string key, object value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("ts", 0);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        if (value is int number)
        {
            json.WriteNumber(key, number);
        }
        else
        {
            json.WriteString(key, (string)value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSpans(Utf8JsonWriter json, TimelineDocument document)
    {
        foreach (var span in document.Spans)
        {
            Begin(json, span.Label, StateName(span.State), "X", span.Start, span.Cluster, span.Track);
            json.WriteNumber("dur", Micros(span.End - span.Start));
            json.WriteStartObject("args");
            json.WriteString("state", StateName(span.State));
            WhereArgs(json, span.Cluster, span.Track);
            ContextArgs(json, span.Context);
            json.WriteNumber("startCycles", span.Start);
            json.WriteNumber("endCycles", span.End);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    private static void WriteInstants(Utf8JsonWriter json, TimelineDocument document)
    {
        foreach (var instant in document.Instants)
        {
            Begin(json, instant.Label, instant.IsFault ? "fault" : "trap", "i", instant.Cycles, instant.Cluster, instant.Track);
            json.WriteString("s", "t");
            json.WriteStartObject("args");
            WhereArgs(json, instant.Cluster, instant.Track);
            ContextArgs(json, instant.Context);
            if (instant.MessageId is { } id)
            {
                json.WriteString("messageId", id);
            }

            json.WriteNumber("cycles", instant.Cycles);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>A stranded context: a slice from the last time it ran to the end of the run.</summary>
    private static void WriteStranded(Utf8JsonWriter json, TimelineDocument document)
    {
        foreach (var s in document.Stranded)
        {
            // A context stranded in the run's last cycle still gets a visible 1-cycle mark.
            var end = Math.Max(document.EndCycles, s.SinceCycles + 1);
            Begin(json, $"stranded {s.Status}: {s.WaitsOn}", "stranded", "X", s.SinceCycles, s.Cluster, s.Track);
            json.WriteNumber("dur", Micros(end - s.SinceCycles));
            json.WriteStartObject("args");
            json.WriteNumber("cluster", s.Cluster);
            json.WriteNumber("vm", s.Vmidx);
            json.WriteString("vmName", s.VmName);
            json.WriteNumber("cpuidx", s.Cpuidx);
            json.WriteString("context", $"{s.Vmidx}:{s.Cpuidx}");
            json.WriteString("status", s.Status);
            json.WriteString("waitsOn", s.WaitsOn);
            json.WriteString("whoCouldWake", s.WhoCouldWake);
            json.WriteNumber("lastRanCycles", s.SinceCycles);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// Each message: "s" at the send, "f" (bp "e") at the delivery, both inside a slice. Where no span
    /// covers an end (a message to an idle hthread), a 1-cycle slice says what happened there.
    /// </summary>
    private static void WriteFlows(Utf8JsonWriter json, TimelineDocument document)
    {
        var cover = new SpanCover(document);
        var markers = new HashSet<(int, int, ulong, string)>();
        for (var i = 0; i < document.Flows.Count; i++)
        {
            var flow = document.Flows[i];
            if (!cover.Covers(flow.FromCluster, flow.FromTrack, flow.FromCycles) && markers.Add((flow.FromCluster, flow.FromTrack, flow.FromCycles, "send")))
            {
                Marker(json, $"send {flow.Name}", flow, flow.FromCluster, flow.FromTrack, flow.FromCycles);
            }

            if (!cover.Covers(flow.ToCluster, flow.ToTrack, flow.ToCycles) && markers.Add((flow.ToCluster, flow.ToTrack, flow.ToCycles, "receive")))
            {
                Marker(json, $"receive {flow.Name} (idle)", flow, flow.ToCluster, flow.ToTrack, flow.ToCycles);
            }

            FlowEnd(json, flow, i + 1, "s", flow.FromCluster, flow.FromTrack, flow.FromCycles);
            FlowEnd(json, flow, i + 1, "f", flow.ToCluster, flow.ToTrack, flow.ToCycles);
        }
    }

    private static void Marker(Utf8JsonWriter json, string name, TimelineFlow flow, int cluster, int track, ulong cycles)
    {
        Begin(json, name, "message", "X", cycles, cluster, track);
        json.WriteNumber("dur", Micros(1));
        json.WriteStartObject("args");
        WhereArgs(json, cluster, track);
        MessageArgs(json, flow);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void FlowEnd(Utf8JsonWriter json, TimelineFlow flow, int id, string phase, int cluster, int track, ulong cycles)
    {
        Begin(json, flow.Name, "message", phase, cycles, cluster, track);
        json.WriteNumber("id", id);
        if (phase == "f")
        {
            json.WriteString("bp", "e");
        }

        json.WriteStartObject("args");
        MessageArgs(json, flow);
        json.WriteNumber("sentCycles", flow.FromCycles);
        json.WriteNumber("deliveredCycles", flow.ToCycles);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Begin(Utf8JsonWriter json, string name, string category, string phase, ulong cycles, int cluster, int track)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("cat", category);
        json.WriteString("ph", phase);
        json.WriteNumber("ts", Micros(cycles));
        json.WriteNumber("pid", cluster);
        json.WriteNumber("tid", track);
    }

    private static void WhereArgs(Utf8JsonWriter json, int cluster, int track)
    {
        json.WriteNumber("cluster", cluster);
        if (track >= TimelineRecorder.VmBlockTrackBase)
        {
            json.WriteNumber("vmblock", track - TimelineRecorder.VmBlockTrackBase);
        }
        else
        {
            json.WriteNumber("hthread", track);
        }
    }

    private static void ContextArgs(Utf8JsonWriter json, TimelineContext? context)
    {
        if (context is null)
        {
            return;
        }

        json.WriteNumber("vm", context.Vmidx);
        json.WriteString("vmName", context.VmName);
        json.WriteNumber("cpuidx", context.Cpuidx);
        json.WriteString("context", context.Id);
    }

    private static void MessageArgs(Utf8JsonWriter json, TimelineFlow flow)
    {
        json.WriteString("messageId", flow.MessageId);
        json.WriteString("kind", flow.Kind);
        if (flow.Arguments.Length > 0)
        {
            json.WriteString("arguments", flow.Arguments);
        }

        json.WriteString("fault", flow.Fault ?? "none");
    }

    public static string StateName(TimelineState state) => state switch
    {
        TimelineState.Guest => "guest",
        TimelineState.BklSpin => "bkl-spin",
        TimelineState.Kernel => "kernel",
        _ => "idle",
    };

    /// <summary>Which (track, cycle) a span covers: spans on one track never overlap, so a binary search finds it.</summary>
    private sealed class SpanCover
    {
        private readonly Dictionary<(int Cluster, int Track), (ulong[] Starts, ulong[] Ends)> tracks;

        public SpanCover(TimelineDocument document)
        {
            tracks = document.Spans
                .GroupBy(s => (s.Cluster, s.Track))
                .ToDictionary(g => g.Key, g => (g.Select(s => s.Start).ToArray(), g.Select(s => s.End).ToArray()));
        }

        public bool Covers(int cluster, int track, ulong cycles)
        {
            if (!tracks.TryGetValue((cluster, track), out var spans))
            {
                return false;
            }

            var i = Array.BinarySearch(spans.Starts, cycles);
            i = i >= 0 ? i : ~i - 1;
            return i >= 0 && cycles <= spans.Ends[i];
        }
    }
}
