using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>A named row of the timeline: an hthread, a vmblock's kernel work, or a context stranded at the end.</summary>
public sealed record TimelineTrack(int Cluster, int Track, string Name);

/// <summary>A context still live when a hung run went quiet: where it waits and who could wake it, and since when it has not run.</summary>
public sealed record TimelineStranded(int Cluster, int Track, int Vmidx, string VmName, uint Cpuidx, string Status, string WaitsOn, string WhoCouldWake, ulong SinceCycles);

/// <summary>
/// Everything a timeline file shows, in a fixed order whatever the partition count: tracks by
/// cluster then row, spans by track then start, instants and flows by time, flow ids in that
/// order, and the run's stranded contexts as rows of their own marked up to the run's end.
/// </summary>
public sealed class TimelineDocument
{
    /// <summary>Stranded rows sit below a cluster's hthreads and vmblocks.</summary>
    public const int StrandedTrackBase = 1000;

    private TimelineDocument(string title, ulong endCycles, IReadOnlyList<TimelineTrack> tracks, IReadOnlyList<TimelineSpan> spans, IReadOnlyList<TimelineInstant> instants, IReadOnlyList<TimelineFlow> flows, IReadOnlyList<TimelineStranded> stranded)
    {
        Title = title;
        EndCycles = endCycles;
        Tracks = tracks;
        Spans = spans;
        Instants = instants;
        Flows = flows;
        Stranded = stranded;
    }

    public string Title { get; }

    public ulong EndCycles { get; }

    public IReadOnlyList<TimelineTrack> Tracks { get; }

    public IReadOnlyList<TimelineSpan> Spans { get; }

    public IReadOnlyList<TimelineInstant> Instants { get; }

    /// <summary>Flows in time order; a flow's id is its index + 1.</summary>
    public IReadOnlyList<TimelineFlow> Flows { get; }

    public IReadOnlyList<TimelineStranded> Stranded { get; }

    /// <param name="report">The run's report, for the stranded contexts of a hang; null when there is none.</param>
    /// <param name="names">VM names for the vmblock rows; null numbers them only.</param>
    public static TimelineDocument From(TimelineRecorder recorder, ulong endCycles, string title, ModelReport? report = null, KernelMessageNames? names = null)
    {
        recorder.Close(endCycles);
        var spans = recorder.Spans.OrderBy(s => s.Cluster).ThenBy(s => s.Track).ThenBy(s => s.Start).ThenBy(s => s.End).ToList();
        var instants = recorder.Instants.OrderBy(i => i.Cycles).ThenBy(i => i.Cluster).ThenBy(i => i.Track).ThenBy(i => i.Label, StringComparer.Ordinal).ToList();
        var flows = recorder.Flows.OrderBy(f => f.FromCycles).ThenBy(f => f.ToCycles).ThenBy(f => f.MessageId, StringComparer.Ordinal).ToList();
        var stranded = Strand(report, spans, endCycles);
        var tracks = spans.Select(s => (s.Cluster, s.Track))
            .Concat(instants.Select(i => (i.Cluster, i.Track)))
            .Concat(flows.SelectMany(f => new[] { (f.FromCluster, f.FromTrack), (f.ToCluster, f.ToTrack) }))
            .Concat(stranded.Select(s => (s.Cluster, s.Track)))
            .Distinct()
            .Order()
            .Select(t => new TimelineTrack(t.Item1, t.Item2, TrackName(t.Item1, t.Item2, names, stranded)))
            .ToList();
        return new TimelineDocument(title, endCycles, tracks, spans, instants, flows, stranded);
    }

    private static List<TimelineStranded> Strand(ModelReport? report, IReadOnlyList<TimelineSpan> spans, ulong endCycles)
    {
        if (report is null)
        {
            return [];
        }

        // The last time each context ran: a stranded row starts there and runs to the end.
        var lastRan = new Dictionary<(int Cluster, int Vmidx, uint Cpuidx), (ulong End, string VmName)>();
        foreach (var span in spans.Where(s => s.Context is not null))
        {
            var key = (span.Cluster, span.Context!.Vmidx, span.Context.Cpuidx);
            if (!lastRan.TryGetValue(key, out var last) || span.End > last.End)
            {
                lastRan[key] = (span.End, span.Context.VmName);
            }
        }

        var rows = new List<TimelineStranded>();
        foreach (var s in report.Stranded.OrderBy(s => s.Cluster).ThenBy(s => s.Vm).ThenBy(s => s.Cpuidx))
        {
            var cluster = (int)s.Cluster;
            var since = lastRan.TryGetValue((cluster, (int)s.Vm, s.Cpuidx), out var last) ? Math.Min(last.End, endCycles) : 0;
            var track = StrandedTrackBase + rows.Count(r => r.Cluster == cluster);
            rows.Add(new TimelineStranded(cluster, track, (int)s.Vm, last.VmName ?? string.Empty, s.Cpuidx, s.Status, s.WaitsOn, s.WhoCouldWake, since));
        }

        return rows;
    }

    private static string TrackName(int cluster, int track, KernelMessageNames? names, IReadOnlyList<TimelineStranded> stranded)
    {
        if (track >= StrandedTrackBase)
        {
            var s = stranded.First(r => r.Cluster == cluster && r.Track == track);
            return $"stranded {s.Vmidx}:{s.Cpuidx}";
        }

        if (track >= TimelineRecorder.VmBlockTrackBase)
        {
            var vmidx = track - TimelineRecorder.VmBlockTrackBase;
            return names?.VmName(cluster, vmidx) is { } name ? $"vmblock {vmidx} ({name})" : $"vmblock {vmidx}";
        }

        return $"hthread {track}";
    }
}
