using H2Sim.Core.Randomness;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// Swarm testing: each run draws its own seed (so every choice point and guest step is drawn
/// afresh), its own BKL order seed and kernel cost jitter, and — with `--faults random` — its own
/// message-fault plan (a random subset of message kinds, each with a random action and probability).
/// </summary>
public sealed class RandomStrategy(ExploreSettings settings, ModelSpec template) : IExploreStrategy
{
    private static readonly string[] Kinds = ["RESCHED_INT", "CLUSTER_RESCHED_INT", "VM_IPI", "KILL", "CHILDINT", "TIMER", "INTERCONNECT"];
    private static readonly string[] Actions = ["delay", "delay", "duplicate", "reorder", "drop"];
    private static readonly double[] Probabilities = [0.02, 0.1, 0.3];
    private static readonly double[] CostJitters = [0, 2, 5, 15];

    private DeterministicRandom random = new(settings.Seed, ExploreStreams.RandomStrategy, RandomPurpose.Explore);

    public string Name => "random";

    public RunPlan? Next(int run)
    {
        var seed = random.NextUInt64();
        var spec = ExploreStrategies.Base(settings, template, seed, settings.Faults == FaultMode.Random ? DrawPlan(ref random) : null);
        spec.Faults ??= new FaultPlan();
        spec.Faults.BklSeed = random.NextUInt64() | 1;
        spec.Faults.CostJitterPercent = CostJitters[random.NextBelow((ulong)CostJitters.Length)];
        return new RunPlan(spec);
    }

    public void Learn(RunPlan plan, RunProbe probe, int newItems, bool failed)
    {
    }

    /// <summary>A random message-fault plan: each kind with probability ½, a random action, probability and delay.</summary>
    public static FaultPlan DrawPlan(ref DeterministicRandom random)
    {
        var plan = new FaultPlan();
        foreach (var kind in Kinds)
        {
            if (random.NextDouble() >= 0.5)
            {
                continue;
            }

            var action = Actions[random.NextBelow((ulong)Actions.Length)];
            var delayMax = action is "delay" or "reorder" ? 200 + random.NextBelow(5_000) : 0;
            plan.Rules.Add(new FaultRule
            {
                Kind = kind,
                Action = action,
                Probability = Probabilities[random.NextBelow((ulong)Probabilities.Length)],
                DelayMinCycles = action == "delay" ? delayMax / 4 : 0,
                DelayMaxCycles = delayMax,
                Source = -1,
                Target = -1,
            });
        }

        return plan;
    }
}
