using System.CommandLine;
using System.Globalization;
using H2Sim.Cluster.Faults;
using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>
/// Fault plans on the command line (architecture.md §7): `--faults FILE` (HOCON, see
/// hocon/faults/) and repeatable inline `--fault KIND:ACTION[:PROBABILITY[:DELAY_MIN[-DELAY_MAX]]]`
/// or `--fault KIND:ACTION@SOURCE:SEQUENCE[:DELAY]` for one message; `--cost-jitter PCT` and
/// `--bkl-seed N` perturb the schedule.
/// </summary>
public static class FaultOptions
{
    public static Option<FileInfo?> PlanFile() => new("--faults") { Description = "Fault plan file (HOCON, e.g. hocon/faults/lossy-ipi.conf)" };

    public static Option<string[]> Inline() => new("--fault")
    {
        Description = "Inline fault KIND:ACTION[:P[:DMIN[-DMAX]]] or KIND:ACTION@SOURCE:SEQ[:DELAY] (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<double> CostJitter() => new("--cost-jitter") { Description = "± percent of jitter on every kernel path's cost" };

    public static Option<string[]> Raise() => new("--raise")
    {
        Description = "A device raises hardware interrupt INT on cluster CLUSTER at virtual time CYCLES: CLUSTER:INT@CYCLES (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The plan from a file and/or flags; null when none was given.</summary>
    public static FaultPlan? Plan(FileInfo? file, IEnumerable<string>? inline, double costJitterPercent, IEnumerable<string>? raises = null)
    {
        var plan = file is null ? null : FaultPlanFile.Load(file.FullName);
        foreach (var text in inline ?? [])
        {
            plan ??= new FaultPlan();
            plan.Rules.Add(ParseInline(text));
        }

        foreach (var text in raises ?? [])
        {
            plan ??= new FaultPlan();
            plan.Raises.Add(ParseRaise(text));
        }

        if (costJitterPercent != 0)
        {
            if (costJitterPercent is < 0 or > 100 || double.IsNaN(costJitterPercent))
            {
                throw new UsageException($"--cost-jitter must be between 0 and 100, got {costJitterPercent}");
            }

            plan ??= new FaultPlan();
            plan.CostJitterPercent = costJitterPercent;
        }

        return plan;
    }

    /// <summary>`--raise CLUSTER:INT@CYCLES`.</summary>
    public static InterruptRaise ParseRaise(string text)
    {
        var parts = text.Split('@');
        var head = parts[0].Split(':');
        if (parts.Length != 2 || head.Length != 2
            || !uint.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var cluster) || cluster >= HwThreadActors.Scenarios.ScenarioRanges.Clusters.Max
            || !uint.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture, out var intno) || intno >= KernelConstants.MaxInterrupts
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            throw new UsageException(
                $"--raise '{text}': expected CLUSTER:INT@CYCLES (cluster 0..{HwThreadActors.Scenarios.ScenarioRanges.Clusters.Max - 1}, interrupt 0..{KernelConstants.MaxInterrupts - 1}, a virtual time in cycles), e.g. 0:20@5000");
        }

        return new InterruptRaise { Cluster = cluster, InterruptNumber = intno, AtCycles = at };
    }

    public static FaultRule ParseInline(string text)
    {
        var rule = new FaultRule { Source = -1, Target = -1, Probability = 1 };
        var at = text.Split('@', 2);
        var head = at[0].Split(':');
        if (head.Length < 2)
        {
            throw new UsageException($"--fault expects KIND:ACTION[:P[:DMIN[-DMAX]]] or KIND:ACTION@SOURCE:SEQ[:DELAY], got '{text}'");
        }

        rule.Kind = head[0];
        rule.Action = head[1];
        if (at.Length == 2)
        {
            var id = at[1].Split(':');
            if (id.Length is < 2 or > 3)
            {
                throw new UsageException($"--fault {text}: a message id is SOURCE:SEQUENCE");
            }

            rule.Ids.Add(Replayer.ParseMessageId($"{id[0]}:{id[1]}"));
            if (id.Length == 3)
            {
                rule.DelayMinCycles = rule.DelayMaxCycles = ParseCycles(id[2], text);
            }
        }
        else
        {
            if (head.Length > 2)
            {
                rule.Probability = double.TryParse(head[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
                    ? p
                    : throw new UsageException($"--fault {text}: '{head[2]}' is not a probability");
            }

            if (head.Length > 3)
            {
                var range = head[3].Split('-', 2);
                rule.DelayMinCycles = ParseCycles(range[0], text);
                rule.DelayMaxCycles = range.Length == 2 ? ParseCycles(range[1], text) : rule.DelayMinCycles;
            }
        }

        try
        {
            FaultInjector.Validate(rule);
        }
        catch (InputException e)
        {
            throw new UsageException($"--fault {text}: {e.Message}");
        }

        return rule;
    }

    private static ulong ParseCycles(string value, string whole) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var cycles)
            ? cycles
            : throw new UsageException($"--fault {whole}: '{value}' is not a whole number of cycles");
}
