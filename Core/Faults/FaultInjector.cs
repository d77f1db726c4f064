using System.Buffers.Binary;
using System.IO.Hashing;
using H2Sim.Core.Events;
using H2Sim.Core.Input;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Faults;

/// <summary>
/// Decides, for each message a partition sends, whether a fault plan rule hits it. Decisions are a
/// pure function of (run seed, rule, message source, message sequence), so they are the same on
/// any partition or node count and a faulty run replays exactly. Only messages the model
/// classifies (IPIs, KILL, CHILDINT, …) are considered.
/// </summary>
public sealed class FaultInjector
{
    /// <summary>How long a message held for reordering waits for its successor before it goes anyway.</summary>
    public const ulong DefaultReorderWindowCycles = 20_000;

    private readonly FaultRule[] rules;
    private readonly HashSet<(uint, ulong)>[] explicitIds;
    private readonly IFaultClassifier classifier;
    private readonly ulong seed;

    public FaultInjector(FaultPlan plan, IFaultClassifier classifier, ulong seed)
    {
        rules = plan.Rules.ToArray();
        explicitIds = rules.Select(r => r.Ids.Select(id => (id.Source, id.Sequence)).ToHashSet()).ToArray();
        this.classifier = classifier;
        this.seed = seed;
        foreach (var rule in rules)
        {
            Validate(rule);
        }

        var reorderWindows = rules.Where(r => r.Action == "reorder" && r.DelayMaxCycles > 0).Select(r => r.DelayMaxCycles).ToList();
        ReorderWindowCycles = reorderWindows.Count > 0 ? reorderWindows.Max() : DefaultReorderWindowCycles;
    }

    /// <summary>How long a held message waits for its successor (the largest delay_max of the reorder rules, else the default).</summary>
    public ulong ReorderWindowCycles { get; }

    public static readonly IReadOnlyList<string> Kinds = ["RESCHED_INT", "CLUSTER_RESCHED_INT", "VM_IPI", "KILL", "CHILDINT", "VM_INTERRUPT", "TIMER", "VMOP_FREE", "INTERCONNECT", "*"];

    public static readonly IReadOnlyList<string> Actions = ["drop", "delay", "duplicate", "reorder"];

    /// <summary>The first rule that hits the message: its action and extra delay.</summary>
    public (FaultAction Action, ulong DelayCycles) Decide(in SimEvent ev, ulong sendCycles)
    {
        if (rules.Length == 0)
        {
            return default;
        }

        var kind = classifier.FaultKind(ev);
        if (kind is null)
        {
            return default;
        }

        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            if (!Matches(rule, kind, ev, sendCycles))
            {
                continue;
            }

            var hit = explicitIds[i].Count > 0
                ? explicitIds[i].Contains((ev.Source, ev.Sequence))
                : Draw(i, ev, 0) < rule.Probability;
            if (!hit)
            {
                continue;
            }

            var action = ParseAction(rule.Action);
            var delay = rule.DelayMinCycles;
            if (rule.DelayMaxCycles > rule.DelayMinCycles)
            {
                delay += (ulong)(Draw(i, ev, 1) * (rule.DelayMaxCycles - rule.DelayMinCycles + 1));
            }

            return (action, delay);
        }

        return default;
    }

    public static FaultAction ParseAction(string action) => action switch
    {
        "drop" => FaultAction.Drop,
        "delay" => FaultAction.Delay,
        "duplicate" => FaultAction.Duplicate,
        "reorder" => FaultAction.Reorder,
        _ => throw new InputException($"unknown fault action '{action}' (valid: {string.Join(", ", Actions)})"),
    };

    public static void Validate(FaultRule rule)
    {
        if (!Kinds.Contains(rule.Kind))
        {
            throw new InputException($"unknown fault kind '{rule.Kind}' (valid: {string.Join(", ", Kinds)})");
        }

        ParseAction(rule.Action);
        if (rule.Probability is < 0 or > 1 || double.IsNaN(rule.Probability))
        {
            throw new InputException($"fault probability must be between 0 and 1, got {rule.Probability}");
        }

        if (rule.DelayMaxCycles != 0 && rule.DelayMaxCycles < rule.DelayMinCycles)
        {
            throw new InputException($"fault delay range {rule.DelayMinCycles}..{rule.DelayMaxCycles} is empty");
        }
    }

    private static bool Matches(FaultRule rule, string kind, in SimEvent ev, ulong sendCycles) =>
        (rule.Kind == "*" || rule.Kind == kind)
        && (rule.Source < 0 || rule.Source == ev.Source)
        && (rule.Target < 0 || rule.Target == ev.Target)
        && sendCycles >= rule.FromCycles
        && (rule.ToCycles == 0 || sendCycles < rule.ToCycles);

    /// <summary>Uniform [0, 1) from (seed, rule, source, sequence, purpose).</summary>
    private double Draw(int rule, in SimEvent ev, int purpose)
    {
        Span<byte> bytes = stackalloc byte[28];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, seed);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[8..], rule);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[12..], ev.Source);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], ev.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[24..], purpose);
        return (XxHash64.HashToUInt64(bytes) >> 11) * (1.0 / (1UL << 53));
    }
}
