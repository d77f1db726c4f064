using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.System;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// Collects a run's timeline: spans per track from the runner's state changes, instants for traps
/// and injected faults, and flows for IPIs, KILL and CHILDINT from the send to the delivery.
/// </summary>
public sealed class TimelineRecorder : ITimelineSink, IDeliveryObserver, ISendObserver
{
    private readonly Dictionary<(int Cluster, int Track), (ulong Start, TimelineState State, string Label)> open = new();
    private readonly Dictionary<(uint Source, ulong Sequence), (ulong Cycles, uint Source)> sends = new();
    private readonly Lock gate = new();
    private readonly IDeliveryObserver? next;

    public TimelineRecorder(IDeliveryObserver? next = null)
    {
        this.next = next;
    }

    public List<TimelineSpan> Spans { get; } = new();

    public List<TimelineInstant> Instants { get; } = new();

    public List<TimelineFlow> Flows { get; } = new();

    public void OnState(int cluster, int track, ulong cycles, TimelineState state, string label)
    {
        lock (gate)
        {
            var key = (cluster, track);
            if (open.TryGetValue(key, out var current) && current.State == state && current.Label == label)
            {
                return;
            }

            if (open.Remove(key, out var previous) && previous.State != TimelineState.Idle && cycles >= previous.Start)
            {
                Spans.Add(new TimelineSpan(cluster, track, previous.Start, cycles, previous.State, previous.Label));
            }

            open[key] = (cycles, state, label);
        }
    }

    public void OnTrap(int cluster, int track, ulong cycles, string label)
    {
        lock (gate)
        {
            Instants.Add(new TimelineInstant(cluster, track, cycles, label, IsFault: false));
        }
    }

    public void OnSent(int partition, ulong sendCycles, in SimEvent ev)
    {
        if (FlowName(ev.Kind) is null)
        {
            return;
        }

        lock (gate)
        {
            sends[(ev.Source, ev.Sequence)] = (sendCycles, ev.Source);
        }
    }

    public void OnDelivered(int partition, in SimEvent ev)
    {
        lock (gate)
        {
            if (ev.Kind == EngineEventKinds.FaultInjected)
            {
                var (action, kind, delay) = FaultNote.Decode(ev.A);
                var extra = action == FaultAction.Delay ? $" +{delay}" : string.Empty;
                Instants.Add(new TimelineInstant(ActorLayout.ClusterOf(ev.Target), TrackOf(ev.Target), ev.Time, $"fault: {action.ToString().ToLowerInvariant()}{extra} {EventKinds.Name(kind)} {ev.B}:{ev.C}", IsFault: true));
            }
            else if (FlowName(ev.Kind) is { } name && sends.Remove((ev.Source, ev.Sequence), out var sent))
            {
                Flows.Add(new TimelineFlow(
                    Flows.Count + 1,
                    name + (ev.Kind == EventKinds.Interrupt ? $" {ev.A}" : string.Empty),
                    ActorLayout.ClusterOf(sent.Source),
                    TrackOf(sent.Source),
                    sent.Cycles,
                    ActorLayout.ClusterOf(ev.Target),
                    TrackOf(ev.Target),
                    ev.Time));
            }
        }

        next?.OnDelivered(partition, ev);
    }

    /// <summary>Closes every open span at the end of the run.</summary>
    public void Close(ulong endCycles)
    {
        lock (gate)
        {
            foreach (var ((cluster, track), (start, state, label)) in open.OrderBy(o => o.Key))
            {
                if (state != TimelineState.Idle && endCycles > start)
                {
                    Spans.Add(new TimelineSpan(cluster, track, start, endCycles, state, label));
                }
            }

            open.Clear();
        }
    }

    /// <summary>hthreads are tracks 0..15; a vmblock's kernel work is track 100 + vmidx.</summary>
    public static int TrackOf(uint actor) => ActorLayout.IsHThread(actor) ? ActorLayout.LocalIndex(actor) : 100 + ActorLayout.VmidxOf(actor);

    private static string? FlowName(int kind) => kind switch
    {
        EventKinds.Interrupt => "IPI",
        EventKinds.ChildInt => "CHILDINT",
        EventKinds.BklGrant => "BKL handover",
        >= EventKinds.RemoteBase + 1 and < EventKinds.RemoteBase + 16 => EventKinds.Name(kind).ToUpperInvariant(),
        _ => null,
    };
}

public sealed record TimelineSpan(int Cluster, int Track, ulong Start, ulong End, TimelineState State, string Label);

public sealed record TimelineInstant(int Cluster, int Track, ulong Cycles, string Label, bool IsFault);

public sealed record TimelineFlow(int Id, string Name, int FromCluster, int FromTrack, ulong FromCycles, int ToCluster, int ToTrack, ulong ToCycles);
