using System.Globalization;
using System.Text.Json;
using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;

namespace H2Sim.Cli;

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
                LogEntries.ActionName(action),
                action == FaultAction.Delay ? delay : 0,
                names.Kind(kind),
                message is { } delivered ? names.FaultKind(delivered) ?? "*" : names.Kind(kind),
                names.Actor((uint)n.B),
                names.Actor(n.Target));
        })
        .ToList();

    public static void Print(IReadOnlyList<InjectedFault> faults)
    {
        Console.Out.WriteLine($"  faults injected: {faults.Count}");
        foreach (var f in faults)
        {
            var what = f.Action == "delay" ? string.Create(CultureInfo.InvariantCulture, $"delay +{f.DelayCycles}") : f.Action;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {f.Cycles,10}  {what,-12} {f.FaultKind,-20} {f.Id,-10} {f.From} -> {f.To}"));
        }
    }

    public static void WriteJson(Utf8JsonWriter w, IReadOnlyList<InjectedFault> faults)
    {
        w.WriteStartArray("faultsInjected");
        foreach (var f in faults)
        {
            w.WriteStartObject();
            w.WriteString("id", f.Id);
            w.WriteNumber("cycles", f.Cycles);
            w.WriteString("action", f.Action);
            w.WriteNumber("delayCycles", f.DelayCycles);
            w.WriteString("kind", f.Kind);
            w.WriteString("faultKind", f.FaultKind);
            w.WriteString("from", f.From);
            w.WriteString("to", f.To);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}

/// <summary>One injected fault: the message's id, when, what was done, and the message's kind and ends.</summary>
public sealed record InjectedFault(string Id, ulong Cycles, string Action, ulong DelayCycles, string Kind, string FaultKind, string From, string To);
