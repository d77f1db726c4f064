using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.System;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// Collects a run's timeline: spans per track from the runner's state changes, instants for traps
/// and injected faults, and flows for IPIs, KILL, CHILDINT, BKL handovers and interconnect
/// messages from the send to the delivery. Partitions may report from several threads, so the
/// lists are in no particular order: <see cref="TimelineDocument"/> sorts them.
/// </summary>
public sealed class TimelineRecorder : ITimelineSink, IDeliveryObserver, ISendObserver
{
    private static readonly KernelMessageNames Names = new(null);

    private readonly Dictionary<(int Cluster, int Track), (ulong Start, TimelineState State, string Label, TimelineContext? Context)> open = new();
    private readonly Dictionary<(uint Source, ulong Sequence), ulong> sends = new();
    private readonly Dictionary<(uint Source, ulong Sequence), string> faults = new();
    private readonly Lock gate = new();
    private readonly IDeliveryObserver? next;

    public TimelineRecorder(IDeliveryObserver? next = null)
    {
        this.next = next;
    }

    public List<TimelineSpan> Spans { get; } = new();

    public List<TimelineInstant> Instants { get; } = new();

    public List<TimelineFlow> Flows { get; } = new();

    public void OnState(int cluster, int track, ulong cycles, TimelineState state, string label, TimelineContext? context = null)
    {
        lock (gate)
        {
            var key = (cluster, track);
            if (open.TryGetValue(key, out var current) && current.State == state && current.Label == label)
            {
                return;
            }

            // A state left in the cycle it was entered (a BKL that was free at once) lasted nothing: no span.
            if (open.Remove(key, out var previous) && previous.State != TimelineState.Idle && cycles > previous.Start)
            {
                Spans.Add(new TimelineSpan(cluster, track, previous.Start, cycles, previous.State, previous.Label, previous.Context));
            }

            open[key] = (cycles, state, label, context);
        }
    }

    public void OnTrap(int cluster, int track, ulong cycles, string label, TimelineContext? context = null)
    {
        lock (gate)
        {
            Instants.Add(new TimelineInstant(cluster, track, cycles, label, IsFault: false, context, MessageId: null));
        }
    }

    public void OnSent(int partition, ulong sendCycles, in SimEvent ev)
    {
        if (FlowName(ev) is null)
        {
            return;
        }

        lock (gate)
        {
            sends[(ev.Source, ev.Sequence)] = sendCycles;
        }
    }

    public void OnDelivered(int partition, in SimEvent ev)
    {
        lock (gate)
        {
            if (ev.Kind == EngineEventKinds.FaultInjected)
            {
                var (action, kind, delay) = FaultNote.Decode(ev.A);
                var what = action == FaultAction.Delay ? $"delay +{delay}" : action.ToString().ToLowerInvariant();
                var id = $"{ev.B}:{ev.C}";
                faults[((uint)ev.B, (ulong)ev.C)] = what;
                Instants.Add(new TimelineInstant(ActorLayout.ClusterOf(ev.Target), TrackOf(ev.Target), ev.Time, $"fault: {what} {EventKinds.Name(kind)} {id}", IsFault: true, null, id));
            }
            else if (FlowName(ev) is { } name && sends.Remove((ev.Source, ev.Sequence), out var sentCycles))
            {
                Flows.Add(new TimelineFlow(
                    name,
                    $"{ev.Source}:{ev.Sequence}",
                    Names.Kind(ev.Kind),
                    Names.Arguments(ev),
                    faults.GetValueOrDefault((ev.Source, ev.Sequence)),
                    ActorLayout.ClusterOf(ev.Source),
                    TrackOf(ev.Source),
                    sentCycles,
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
            foreach (var ((cluster, track), (start, state, label, context)) in open.OrderBy(o => o.Key))
            {
                if (state != TimelineState.Idle && endCycles > start)
                {
                    Spans.Add(new TimelineSpan(cluster, track, start, endCycles, state, label, context));
                }
            }

            open.Clear();
        }
    }

    /// <summary>hthreads are tracks 0..15; a vmblock's kernel work is track 100 + vmidx.</summary>
    public static int TrackOf(uint actor) => ActorLayout.IsHThread(actor) ? ActorLayout.LocalIndex(actor) : VmBlockTrackBase + ActorLayout.VmidxOf(actor);

    public const int VmBlockTrackBase = 100;

    /// <summary>The messages drawn as arrows, by what they are to a kernel engineer; null for the rest (self-messages, notes).</summary>
    private static string? FlowName(in SimEvent ev) => ev.Kind switch
    {
        EventKinds.Interrupt => $"IPI {Names.FaultKind(ev)}",
        EventKinds.ChildInt => "CHILDINT",
        EventKinds.BklGrant => "BKL handover",
        >= EventKinds.RemoteBase + 1 and < EventKinds.RemoteBase + 16 => EventKinds.Name(ev.Kind).ToUpperInvariant(),
        _ => null,
    };
}

public sealed record TimelineSpan(int Cluster, int Track, ulong Start, ulong End, TimelineState State, string Label, TimelineContext? Context);

/// <summary>A trap (with the context that took it) or an injected fault (with the id of the message it hit).</summary>
public sealed record TimelineInstant(int Cluster, int Track, ulong Cycles, string Label, bool IsFault, TimelineContext? Context, string? MessageId);

/// <summary>A message from its send to its delivery; <paramref name="Fault"/> says what a fault did to it on the way (delay +N, duplicate, reorder).</summary>
public sealed record TimelineFlow(string Name, string MessageId, string Kind, string Arguments, string? Fault, int FromCluster, int FromTrack, ulong FromCycles, int ToCluster, int ToTrack, ulong ToCycles);
