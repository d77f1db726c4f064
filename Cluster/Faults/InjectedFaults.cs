using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;

namespace H2Sim.Cluster.Faults;

/// <summary>
/// The faults a run injected, from the engine's fault records as they are delivered, so `run
/// --fault …` can say what it did: when, to which message (its id, as replay and fault plans take
/// it), what kind of message, between whom, and what the fault was.
/// </summary>
public sealed class InjectedFaults : IDeliveryObserver
{
    private const ulong MarkerBits = EngineEventKinds.DuplicateSequenceBit | EngineEventKinds.ReleaseSequenceBit;

    private readonly List<SimEvent> notes = new();

    // A fault record keeps the message's kind, not its arguments; the message itself, delivered at
    // or after its fault record, says what it was (KILL and RESCHED_INT are both interrupts).
    private readonly Dictionary<(uint Source, ulong Sequence), SimEvent?> faulted = new();
    private readonly Lock gate = new();

    public void OnDelivered(int partition, in SimEvent ev)
    {
        lock (gate)
        {
            if (ev.Kind == EngineEventKinds.FaultInjected)
            {
                notes.Add(ev);
                faulted.TryAdd(((uint)ev.B, (ulong)ev.C), null);
            }
            else if (ev.Kind >= 0 && faulted.TryGetValue((ev.Source, ev.Sequence & ~MarkerBits), out var seen) && seen is null)
            {
                faulted[(ev.Source, ev.Sequence & ~MarkerBits)] = ev;
            }
        }
    }

    /// <summary>In time order, then by message id: the same list on any partition count.</summary>
    public IReadOnlyList<InjectedFault> List(IMessageNames names) => notes
        .OrderBy(n => n.Time).ThenBy(n => n.B).ThenBy(n => n.C)
        .Select(n =>
        {
            var (action, kind, delay) = FaultNote.Decode(n.A);
            var message = faulted.GetValueOrDefault(((uint)n.B, (ulong)n.C));
            return new InjectedFault(
                $"{n.B}:{n.C}",
                n.Time,
                action.Name(),
                action == FaultAction.Delay ? delay : 0,
                names.Kind(kind),
                message is { } delivered ? names.FaultKind(delivered) ?? "*" : names.Kind(kind),
                names.Actor((uint)n.B),
                names.Actor(n.Target));
        })
        .ToList();
}
