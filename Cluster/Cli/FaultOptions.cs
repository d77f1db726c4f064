using System.CommandLine;
using System.Globalization;
using Akka.Configuration;
using H2Sim.Core.Faults;
using H2Sim.Core.Recording;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Cli;

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

    /// <summary>The plan from a file and/or flags; null when none was given.</summary>
    public static FaultPlan? Plan(FileInfo? file, IEnumerable<string>? inline, double costJitterPercent)
    {
        var plan = file is null ? null : Load(file.FullName);
        foreach (var text in inline ?? [])
        {
            plan ??= new FaultPlan();
            plan.Rules.Add(ParseInline(text));
        }

        if (costJitterPercent != 0)
        {
            if (costJitterPercent is < 0 or > 100)
            {
                throw new UsageException($"--cost-jitter must be between 0 and 100, got {costJitterPercent}");
            }

            plan ??= new FaultPlan();
            plan.CostJitterPercent = costJitterPercent;
        }

        return plan;
    }

    public static FaultPlan Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"fault plan not found: {path}");
        }

        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UsageException($"{path}: not a HOCON fault plan ({e.Message})");
        }

        var root = config.GetConfig("h2sim.faults") ?? throw new UsageException($"{path}: no h2sim.faults section");
        var plan = new FaultPlan
        {
            CostJitterPercent = root.GetDouble("cost-jitter-percent", 0),
            BklSeed = (ulong)root.GetLong("bkl-seed", 0),
        };
        var index = 0;
        foreach (var rule in root.GetValue("rules")?.GetArray() ?? [])
        {
            index++;
            var o = rule.GetObject() ?? throw new UsageException($"{path}: rule {index} is not an object");
            string Text(string key, string fallback) => o.Items.TryGetValue(key, out var v) ? v.GetString() : fallback;
            long Number(string key, long fallback) => o.Items.TryGetValue(key, out var v) ? v.GetLong() : fallback;
            var parsed = new FaultRule
            {
                Kind = Text("kind", "*"),
                Action = Text("action", string.Empty),
                Probability = o.Items.TryGetValue("probability", out var p) ? p.GetDouble() : 1,
                DelayMinCycles = (ulong)Number("delay-min", 0),
                DelayMaxCycles = (ulong)Number("delay-max", Number("delay-min", 0)),
                Source = Number("source", -1),
                Target = Number("target", -1),
                FromCycles = (ulong)Number("from", 0),
                ToCycles = (ulong)Number("to", 0),
            };
            if (o.Items.TryGetValue("ids", out var ids))
            {
                parsed.Ids.AddRange(ids.GetStringList().Select(Replayer.ParseMessageId));
            }

            try
            {
                FaultInjector.Validate(parsed);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{path}: rule {index}: {e.Message}");
            }

            plan.Rules.Add(parsed);
        }

        return plan;
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
        catch (ArgumentException e)
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
