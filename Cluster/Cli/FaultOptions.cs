using System.CommandLine;
using System.Globalization;
using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.KernelActors.Data;
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

    public static Option<string[]> Raise() => new("--raise")
    {
        Description = "A device raises hardware interrupt INT on cluster CLUSTER at virtual time CYCLES: CLUSTER:INT@CYCLES (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The plan from a file and/or flags; null when none was given.</summary>
    public static FaultPlan? Plan(FileInfo? file, IEnumerable<string>? inline, double costJitterPercent, IEnumerable<string>? raises = null)
    {
        var plan = file is null ? null : Load(file.FullName);
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

    /// <summary>The largest fault plan read: a plan is a few rules, or a few thousand explicit ids.</summary>
    public const long MaxPlanBytes = 1024 * 1024;

    private static readonly string[] PlanKeys = ["cost-jitter-percent", "bkl-seed", "rules", "raises"];

    private static readonly string[] RaiseKeys = ["cluster", "int", "at"];

    private static readonly string[] RuleKeys = ["kind", "action", "probability", "delay-min", "delay-max", "source", "target", "from", "to", "ids"];

    /// <summary>
    /// Reads a plan file (hocon/faults/): `h2sim.faults { cost-jitter-percent, bkl-seed, rules = [ … ] }`.
    /// Every key is checked (an unknown one, such as a misspelt `probabilty`, is an error naming the
    /// valid keys, never silently ignored), and every value's type and range.
    /// </summary>
    public static FaultPlan Load(string path)
    {
        var text = InputFile.ReadAllText(path, MaxPlanBytes, "fault plan");
        var root = FaultPlanHocon.Parse(text, path);
        var h2sim = Only(path, root, "h2sim", "the file (a fault plan is `h2sim.faults { … }`)");
        var faults = Only(path, h2sim, "faults", "h2sim");
        var plan = new FaultPlan();
        foreach (var (key, line, value) in faults.Fields)
        {
            var field = new PlanField(path, line, key, "h2sim.faults");
            switch (key)
            {
                case "cost-jitter-percent":
                    plan.CostJitterPercent = field.Number(value, 0, 100);
                    break;
                case "bkl-seed":
                    plan.BklSeed = field.Whole(value, ulong.MaxValue);
                    break;
                case "rules":
                    var rules = value as FaultPlanHocon.ArrayValue ?? throw field.Error("a list of rules [ { kind = …, action = … }, … ]");
                    foreach (var rule in rules.Items)
                    {
                        plan.Rules.Add(Rule(path, rule, plan.Rules.Count + 1));
                    }

                    break;
                case "raises":
                    var raises = value as FaultPlanHocon.ArrayValue ?? throw field.Error("a list of raises [ { cluster = …, int = …, at = … }, … ]");
                    foreach (var raise in raises.Items)
                    {
                        plan.Raises.Add(Raise(path, raise, plan.Raises.Count + 1));
                    }

                    break;
                default:
                    throw new UsageException($"{path}:{line}: unknown key '{key}' in h2sim.faults (valid keys: {string.Join(", ", PlanKeys)})");
            }
        }

        return plan;
    }

    /// <summary>One device raise of a plan file: `{ cluster = 0, int = 20, at = 5000 }` (all three required).</summary>
    private static InterruptRaise Raise(string path, FaultPlanHocon.Value value, int index)
    {
        var o = value as FaultPlanHocon.ObjectValue ?? throw new UsageException($"{path}:{value.Line}: raise {index}: expected an object {{ cluster = …, int = …, at = … }}");
        var raise = new InterruptRaise();
        var given = new List<string>();
        foreach (var (key, line, item) in o.Fields)
        {
            var field = new PlanField(path, line, key, $"raise {index}");
            switch (key)
            {
                case "cluster": raise.Cluster = (uint)field.Whole(item, (ulong)HwThreadActors.Scenarios.ScenarioRanges.Clusters.Max - 1); break;
                case "int": raise.InterruptNumber = (uint)field.Whole(item, KernelConstants.MaxInterrupts - 1); break;
                case "at": raise.AtCycles = field.Whole(item, ulong.MaxValue); break;
                default:
                    throw new UsageException($"{path}:{line}: unknown key '{key}' in raise {index} (valid keys: {string.Join(", ", RaiseKeys)})");
            }

            given.Add(key);
        }

        if (RaiseKeys.FirstOrDefault(k => !given.Contains(k)) is { } missing)
        {
            throw new UsageException($"{path}:{o.Line}: raise {index}: expected '{missing}' (a raise is {{ cluster = …, int = …, at = … }})");
        }

        return raise;
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

    private static FaultRule Rule(string path, FaultPlanHocon.Value value, int index)
    {
        var o = value as FaultPlanHocon.ObjectValue ?? throw new UsageException($"{path}:{value.Line}: rule {index}: expected an object {{ kind = …, action = … }}");
        var rule = new FaultRule { Kind = "*", Probability = 1, Source = -1, Target = -1 };
        var delayMaxGiven = false;
        foreach (var (key, line, item) in o.Fields)
        {
            var field = new PlanField(path, line, key, $"rule {index}");
            switch (key)
            {
                case "kind": rule.Kind = field.Text(item); break;
                case "action": rule.Action = field.Text(item); break;
                case "probability": rule.Probability = field.Number(item, 0, 1); break;
                case "delay-min": rule.DelayMinCycles = field.Whole(item, ulong.MaxValue); break;
                case "delay-max": rule.DelayMaxCycles = field.Whole(item, ulong.MaxValue); delayMaxGiven = true; break;
                case "source": rule.Source = field.Actor(item); break;
                case "target": rule.Target = field.Actor(item); break;
                case "from": rule.FromCycles = field.Whole(item, ulong.MaxValue); break;
                case "to": rule.ToCycles = field.Whole(item, ulong.MaxValue); break;
                case "ids": rule.Ids.AddRange(field.MessageIds(item)); break;
                default:
                    throw new UsageException($"{path}:{line}: unknown key '{key}' in rule {index} (valid keys: {string.Join(", ", RuleKeys)})");
            }
        }

        if (!delayMaxGiven)
        {
            rule.DelayMaxCycles = rule.DelayMinCycles;
        }

        try
        {
            FaultInjector.Validate(rule);
        }
        catch (InputException e)
        {
            throw new UsageException($"{path}:{o.Line}: rule {index}: {e.Message}");
        }

        return rule;
    }

    /// <summary>The single key a level of the plan must hold.</summary>
    private static FaultPlanHocon.ObjectValue Only(string path, FaultPlanHocon.ObjectValue parent, string key, string where)
    {
        foreach (var (name, line, _) in parent.Fields.Where(f => f.Key != key))
        {
            throw new UsageException($"{path}:{line}: unknown key '{name}' in {where} (valid keys: {key})");
        }

        var field = parent.Fields.FirstOrDefault(f => f.Key == key);
        return field.Value switch
        {
            FaultPlanHocon.ObjectValue o => o,
            null => throw new UsageException($"{path}: no h2sim.faults section (a fault plan is `h2sim.faults {{ rules = [ … ] }}`)"),
            _ => throw new UsageException($"{path}:{field.Line}: expected {key} to be an object {{ … }}"),
        };
    }

    /// <summary>One key of a plan: reads its value as the type it must have, or names the key, the line and what was expected.</summary>
    private readonly record struct PlanField(string Path, int Line, string Key, string Where)
    {
        public UsageException Error(string expected) => new($"{Path}:{Line}: {Where}: {Key} must be {expected}");

        public string Text(FaultPlanHocon.Value value) =>
            value is FaultPlanHocon.ScalarValue scalar ? scalar.Text : throw Error("a word such as KILL or drop");

        public double Number(FaultPlanHocon.Value value, double min, double max) =>
            value is FaultPlanHocon.ScalarValue { Quoted: false } scalar
                && double.TryParse(scalar.Text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                && number >= min && number <= max
                ? number
                : throw Error($"a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {Show(value)}");

        public ulong Whole(FaultPlanHocon.Value value, ulong max) =>
            value is FaultPlanHocon.ScalarValue { Quoted: false } scalar
                && ulong.TryParse(scalar.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) && whole <= max
                ? whole
                : throw Error($"a whole number (0 or more), got {Show(value)}");

        /// <summary>A logical actor id (uint32), or -1 for any.</summary>
        public long Actor(FaultPlanHocon.Value value) =>
            value is FaultPlanHocon.ScalarValue { Quoted: false } scalar
                && long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actor) && actor >= -1 && actor <= uint.MaxValue
                ? actor
                : throw Error($"an actor id (0 to {uint.MaxValue}) or -1 for any, got {Show(value)}");

        public IEnumerable<MessageId> MessageIds(FaultPlanHocon.Value value)
        {
            var items = value as FaultPlanHocon.ArrayValue ?? throw Error("a list of message ids [\"SOURCE:SEQUENCE\", …]");
            var ids = new List<MessageId>();
            foreach (var item in items.Items)
            {
                try
                {
                    ids.Add(Replayer.ParseMessageId(Text(item)));
                }
                catch (InputException e)
                {
                    throw Error($"a list of message ids: {e.Message}");
                }
            }

            return ids;
        }

        private static string Show(FaultPlanHocon.Value value) => value switch
        {
            FaultPlanHocon.ScalarValue { Quoted: true } s => $"\"{s.Text}\"",
            FaultPlanHocon.ScalarValue s => $"'{s.Text}'",
            FaultPlanHocon.ArrayValue => "a list",
            _ => "an object",
        };
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
