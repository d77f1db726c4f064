using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Recording;

namespace H2Sim.Cli;

/// <summary>What a record in a log is: a model message, or one of the engine's own records about a fault.</summary>
public enum LoggedRecord
{
    /// <summary>A message the model sent and the engine delivered.</summary>
    Message,

    /// <summary>The engine injected a fault into the message the id names (it is in the trace and the hash).</summary>
    FaultNote,

    /// <summary>The second delivery of a duplicated message.</summary>
    Duplicate,

    /// <summary>The reorder window of a held message ran out.</summary>
    ReorderRelease,
}

/// <summary>A fault applied to a message: what it did and when the engine recorded it.</summary>
public sealed record AppliedFault(string Action, ulong DelayCycles, ulong NoteCycles);

/// <summary>One delivered record of a log, named for people.</summary>
/// <param name="Id">SOURCE:SEQUENCE of the message, as `replay --drop/--delay` and fault plans take it (a fault note carries the id of the message it hit).</param>
public sealed record LogEntry(SimEvent Event, LoggedRecord Record, string Id, string Kind, string From, string To, string? FaultKind, string Arguments, IReadOnlyList<AppliedFault> Faults);

/// <summary>Turns a log's delivered records into entries: the engine's records decoded here, the model's through its names.</summary>
public static class LogEntries
{
    private const ulong MarkerBits = EngineEventKinds.FaultNoteSequenceBit | EngineEventKinds.DuplicateSequenceBit | EngineEventKinds.ReleaseSequenceBit;

    public static List<LogEntry> Of(RunLog log, IMessageNames names)
    {
        var faults = new Dictionary<(uint Source, ulong Sequence), List<AppliedFault>>();
        foreach (var ev in log.Events.Where(e => e.Kind == EngineEventKinds.FaultInjected))
        {
            var (action, _, delay) = FaultNote.Decode(ev.A);
            var key = ((uint)ev.B, (ulong)ev.C);
            if (!faults.TryGetValue(key, out var list))
            {
                list = new List<AppliedFault>();
                faults[key] = list;
            }

            list.Add(new AppliedFault(action.Name(), action == FaultAction.Delay ? delay : 0, ev.Time));
        }

        // A fault record keeps the message's kind but not its arguments: its fault kind (KILL or
        // RESCHED_INT, both interrupts) comes from the message itself where it was delivered.
        var faultKinds = new Dictionary<(uint Source, ulong Sequence), string?>();
        foreach (var ev in log.Events.Where(e => e.Kind >= 0 && faults.ContainsKey((e.Source, e.Sequence & ~MarkerBits))))
        {
            faultKinds.TryAdd((ev.Source, ev.Sequence & ~MarkerBits), names.FaultKind(ev));
        }

        return log.Events.Select(ev => Entry(ev, names, faults, faultKinds)).ToList();
    }

    private static LogEntry Entry(SimEvent ev, IMessageNames names, Dictionary<(uint, ulong), List<AppliedFault>> faults, Dictionary<(uint, ulong), string?> faultKinds)
    {
        var from = names.Actor(ev.Source);
        var to = names.Actor(ev.Target);
        switch (ev.Kind)
        {
            case EngineEventKinds.FaultInjected:
                var (action, kind, delay) = FaultNote.Decode(ev.A);
                var what = action == FaultAction.Delay ? $"delay +{delay}" : action.Name();
                var faultKind = faultKinds.GetValueOrDefault(((uint)ev.B, (ulong)ev.C));
                return new LogEntry(ev, LoggedRecord.FaultNote, $"{ev.B}:{ev.C}", "fault", from, to, faultKind, $"{what} of {names.Kind(kind)}", []);
            case EngineEventKinds.ReorderRelease:
                return new LogEntry(ev, LoggedRecord.ReorderRelease, $"{ev.A}:{ev.B}", "reorder-release", from, to, null, "the held message goes without its successor", []);
        }

        var sequence = ev.Sequence & ~MarkerBits;
        var record = (ev.Sequence & EngineEventKinds.DuplicateSequenceBit) != 0 ? LoggedRecord.Duplicate : LoggedRecord.Message;
        var applied = faults.TryGetValue((ev.Source, sequence), out var list) ? list : [];
        return new LogEntry(ev, record, $"{ev.Source}:{sequence}", names.Kind(ev.Kind), from, to, names.FaultKind(ev), names.Arguments(ev), applied);
    }
}
