using System.Globalization;
using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Faults;

/// <summary>
/// A fault plan file (architecture.md §7, hocon/faults/): `h2sim.faults { cost-jitter-percent,
/// bkl-seed, rules = [ … ], raises = [ … ] }`, read into the <see cref="FaultPlan"/> a run's spec
/// carries. Errors name the file, the line and what was expected (<see cref="InputException"/>).
/// </summary>
public static class FaultPlanFile
{
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
                    throw new InputException($"{path}:{line}: unknown key '{key}' in h2sim.faults (valid keys: {string.Join(", ", PlanKeys)})");
            }
        }

        return plan;
    }

    /// <summary>One device raise of a plan file: `{ cluster = 0, int = 20, at = 5000 }` (all three required).</summary>
    private static InterruptRaise Raise(string path, FaultPlanHocon.Value value, int index)
    {
        var o = value as FaultPlanHocon.ObjectValue ?? throw new InputException($"{path}:{value.Line}: raise {index}: expected an object {{ cluster = …, int = …, at = … }}");
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
                    throw new InputException($"{path}:{line}: unknown key '{key}' in raise {index} (valid keys: {string.Join(", ", RaiseKeys)})");
            }

            given.Add(key);
        }

        if (RaiseKeys.FirstOrDefault(k => !given.Contains(k)) is { } missing)
        {
            throw new InputException($"{path}:{o.Line}: raise {index}: expected '{missing}' (a raise is {{ cluster = …, int = …, at = … }})");
        }

        return raise;
    }

    private static FaultRule Rule(string path, FaultPlanHocon.Value value, int index)
    {
        var o = value as FaultPlanHocon.ObjectValue ?? throw new InputException($"{path}:{value.Line}: rule {index}: expected an object {{ kind = …, action = … }}");
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
                    throw new InputException($"{path}:{line}: unknown key '{key}' in rule {index} (valid keys: {string.Join(", ", RuleKeys)})");
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
            throw new InputException($"{path}:{o.Line}: rule {index}: {e.Message}");
        }

        return rule;
    }

    /// <summary>The single key a level of the plan must hold.</summary>
    private static FaultPlanHocon.ObjectValue Only(string path, FaultPlanHocon.ObjectValue parent, string key, string where)
    {
        foreach (var (name, line, _) in parent.Fields.Where(f => f.Key != key))
        {
            throw new InputException($"{path}:{line}: unknown key '{name}' in {where} (valid keys: {key})");
        }

        var field = parent.Fields.FirstOrDefault(f => f.Key == key);
        return field.Value switch
        {
            FaultPlanHocon.ObjectValue o => o,
            null => throw new InputException($"{path}: no h2sim.faults section (a fault plan is `h2sim.faults {{ rules = [ … ] }}`)"),
            _ => throw new InputException($"{path}:{field.Line}: expected {key} to be an object {{ … }}"),
        };
    }

    /// <summary>One key of a plan: reads its value as the type it must have, or names the key, the line and what was expected.</summary>
    private readonly record struct PlanField(string Path, int Line, string Key, string Where)
    {
        public InputException Error(string expected) => new($"{Path}:{Line}: {Where}: {Key} must be {expected}");

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
}
