using System.Globalization;
using H2Sim.Core.Recording;
using H2Sim.Core.Trace;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>The terminal form of `h2sim log`.</summary>
internal static class LogText
{
    public static void Print(string path, RunLog log, IReadOnlyList<LogEntry> entries)
    {
        var manifest = log.Manifest;
        var spec = manifest.Spec;
        var o = Console.Out;
        o.WriteLine($"log {path}");
        o.WriteLine($"  scenario    {manifest.ScenarioId}{(spec.Kernel is { ScenarioName.Length: > 0 } k ? $" ({k.ScenarioName})" : string.Empty)}");
        o.WriteLine($"  model       {ModelLine(spec)}");
        o.WriteLine(Invariant($"  seed        {manifest.Seed}, horizon {spec.HorizonCycles} cycles, lookahead {spec.LookaheadCycles} cycles, recorded on {manifest.Partitions} partition(s)"));
        o.WriteLine($"  faults      {FaultLine(spec.Faults)}");
        o.WriteLine(Invariant($"  schedule    BKL spinner order seed {(spec.Faults is { BklSeed: not 0 } f ? f.BklSeed.ToString(CultureInfo.InvariantCulture) : "= run seed")}, cost jitter ±{spec.Faults?.CostJitterPercent ?? 0}%"));
        o.WriteLine($"  choices     {ScheduleText.Describe(spec)}");
        o.WriteLine($"  version     h2sim {manifest.H2SimVersion}, log protocol {manifest.ProtocolVersion}");
        if (spec.Kernel is { ScenarioText.Length: > 0 } kernel)
        {
            var lines = kernel.ScenarioText.TrimEnd('\n').Split('\n');
            o.WriteLine($"  scenario text ({lines.Length} lines):");
            foreach (var line in lines)
            {
                o.WriteLine($"    | {line.TrimEnd('\r')}");
            }
        }

        o.WriteLine($"  messages    {entries.Count} delivered records; ids are SOURCE:SEQUENCE, as replay --drop/--delay and fault plans take them");
        var idWidth = Math.Max(8, entries.Select(e => e.Id.Length).DefaultIfEmpty(0).Max());
        var kindWidth = Math.Max(12, entries.Select(e => e.Kind.Length).DefaultIfEmpty(0).Max());
        var fromWidth = Math.Max(12, entries.Select(e => e.From.Length).DefaultIfEmpty(0).Max());
        o.WriteLine($"  {"time",12}  {"id".PadRight(idWidth)}  {"kind".PadRight(kindWidth)}  {"from".PadRight(fromWidth)} -> to");
        foreach (var entry in entries)
        {
            o.WriteLine($"  {entry.Event.Time,12}  {entry.Id.PadRight(idWidth)}  {entry.Kind.PadRight(kindWidth)}  {entry.From.PadRight(fromWidth)} -> {entry.To}{Notes(entry)}");
        }

        o.WriteLine($"  trailer     trace hash {TraceDigest.Format(log.End.TraceHash)}, {log.End.Events} events, outcome {log.End.OutcomeKind}, checksum {TraceDigest.Format(log.End.Checksum)}");
    }

    private static string ModelLine(ModelSpec spec)
    {
        if (spec.Kernel is { } kernel && spec.Model == "kernel")
        {
            var bugs = kernel.Bugs.Count == 0 ? "none" : string.Join(", ", kernel.Bugs);
            var parameters = kernel.Params.Count == 0 ? "none" : string.Join(", ", kernel.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
            var costs = kernel.CostOverridesCycles.Count == 0 ? string.Empty : $", cost overrides: {string.Join(", ", kernel.CostOverridesCycles.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))}";
            var policies = kernel.Policies.Count == 0 ? string.Empty : $", policies: {string.Join(", ", kernel.Policies.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";
            return $"kernel on {kernel.Kernel}, bugs: {bugs}, params: {parameters}{costs}{policies}";
        }

        return spec.Phold is { } phold
            ? Invariant($"{spec.Model}: {phold.Lps} LPs, {phold.Events} events, remote fraction {phold.RemoteFraction}")
            : spec.Model;
    }

    private static string FaultLine(FaultPlan? plan)
    {
        if (plan is null || plan.Rules.Count == 0)
        {
            return "none";
        }

        return string.Join("; ", plan.Rules.Select((rule, i) => $"{i + 1}) {Rule(rule)}"));
    }

    private static string Rule(FaultRule rule)
    {
        var parts = new List<string> { $"{rule.Kind} {rule.Action}" };
        if (rule.Ids.Count > 0)
        {
            parts.Add("at " + string.Join(",", rule.Ids.Select(id => $"{id.Source}:{id.Sequence}")));
        }
        else
        {
            parts.Add(Invariant($"p={rule.Probability}"));
        }

        if (rule.DelayMaxCycles > 0 || rule.DelayMinCycles > 0)
        {
            parts.Add(rule.DelayMaxCycles > rule.DelayMinCycles ? Invariant($"{rule.DelayMinCycles}-{rule.DelayMaxCycles} cycles") : Invariant($"{rule.DelayMinCycles} cycles"));
        }

        if (rule.Source >= 0)
        {
            parts.Add(Invariant($"source {rule.Source}"));
        }

        if (rule.Target >= 0)
        {
            parts.Add(Invariant($"target {rule.Target}"));
        }

        if (rule.FromCycles > 0 || rule.ToCycles > 0)
        {
            parts.Add(Invariant($"sent in [{rule.FromCycles}, {(rule.ToCycles == 0 ? "end" : rule.ToCycles.ToString(CultureInfo.InvariantCulture))})"));
        }

        return string.Join(" ", parts);
    }

    private static string Notes(LogEntry entry)
    {
        var notes = new List<string>();
        if (entry.FaultKind is { } faultKind && entry.Record != LoggedRecord.FaultNote)
        {
            notes.Add(faultKind);
        }

        if (entry.Arguments.Length > 0)
        {
            notes.Add(entry.Record == LoggedRecord.FaultNote ? $"{entry.Arguments} {entry.FaultKind}".TrimEnd() : entry.Arguments);
        }

        if (entry.Record == LoggedRecord.Duplicate)
        {
            notes.Add("second copy (duplicate)");
        }

        foreach (var fault in entry.Faults)
        {
            notes.Add(fault.Action == "delay" ? Invariant($"fault: delayed +{fault.DelayCycles}") : $"fault: {fault.Action}");
        }

        return notes.Count == 0 ? string.Empty : "   " + string.Join("; ", notes);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
