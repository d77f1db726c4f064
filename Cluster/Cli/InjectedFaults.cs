using System.Globalization;
using System.Text.Json;
using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;

namespace H2Sim.Cluster.Cli;

/// <summary>
/// The faults a run injected, from the engine's fault records as they are delivered, so `run
/// --fault …` can say what it did: when, to which message (its id, as replay and fault plans take
/// it), what kind of message, between whom, and what the fault was.
/// </summary>
public sealed class InjectedFaults : IDeliveryObserver
{
    private readonly List<SimEvent> notes = new();
    private readonly Lock gate = new();

    public void OnDelivered(int partition, in SimEvent ev)
    {
        if (ev.Kind != EngineEventKinds.FaultInjected)
        {
            return;
        }

        lock (gate)
        {
            notes.Add(ev);
        }
    }

    /// <summary>In time order, then by message id: the same list on any partition count.</summary>
    public IReadOnlyList<InjectedFault> List(IMessageNames names) => notes
        .OrderBy(n => n.Time).ThenBy(n => n.B).ThenBy(n => n.C)
        .Select(n =>
        {
            var (action, kind, delay) = FaultNote.Decode(n.A);
            var message = n with { Kind = kind, Sequence = (ulong)n.C };
            return new InjectedFault(
                $"{n.B}:{n.C}",
                n.Time,
                LogEntries.ActionName(action),
                action == FaultAction.Delay ? delay : 0,
                names.Kind(kind),
                names.FaultKind(message) ?? "*",
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
