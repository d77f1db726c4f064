using H2Sim.Core.Randomness;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// A mutant of a kept run: the parent's decisions, with one to three changes — a choice flipped
/// to another candidate, a guest step redrawn within the bound, or one thread's steps all skewed
/// to the same end of the bound (a thread that is consistently slower or faster, which is what
/// moves a race by more than one step can). Decisions the parent did not make come from the seed.
/// A fresh run (no parent) gives each thread its own random lean within the bound instead of
/// drawing every step independently, whose perturbations mostly cancel out over a thread's steps.
/// </summary>
public sealed class CoveragePolicy : IChoicePolicy, IGuestTimingPolicy
{
    private readonly Dictionary<(int Cluster, ulong Ordinal), int> choices = new();
    private readonly Dictionary<(int Cluster, uint Thread, ulong Step), long> steps = new();
    private readonly HashSet<(int Cluster, uint Thread, ulong Step)> redraw = new();
    private readonly Dictionary<(int Cluster, uint Thread), double> skew = new();
    private DeterministicRandom random;
    private bool leanEveryThread;

    private CoveragePolicy(ulong seed) => random = new DeterministicRandom(seed, ExploreStreams.CoveragePolicy, RandomPurpose.Explore);

    /// <summary>A run from scratch: every thread leans to its own random point of the bound.</summary>
    public static CoveragePolicy Fresh(ulong seed) => new(seed) { leanEveryThread = true };

    public static CoveragePolicy Mutate(CorpusEntry parent, ulong seed)
    {
        var policy = new CoveragePolicy(seed);
        foreach (var (choice, _) in parent.Choices)
        {
            policy.choices[((int)choice.Cluster, choice.Ordinal)] = (int)choice.Index;
        }

        foreach (var step in parent.Steps)
        {
            policy.steps[((int)step.Cluster, ThreadId.Of(step.Vmidx, step.Cpuidx).Raw, step.Step)] = step.DeltaCycles;
        }

        var mutations = 1 + (int)policy.random.NextBelow(3);
        for (var i = 0; i < mutations; i++)
        {
            policy.MutateOnce(parent);
        }

        return policy;
    }

    private void MutateOnce(CorpusEntry parent)
    {
        var kind = random.NextBelow(3);
        if (kind == 0 && parent.Choices.Count > 0)
        {
            var (choice, count) = parent.Choices[(int)random.NextBelow((ulong)parent.Choices.Count)];
            choices[((int)choice.Cluster, choice.Ordinal)] = (int)((choice.Index + 1 + random.NextBelow((ulong)count - 1)) % (ulong)count);
        }
        else if (kind == 1 && parent.Steps.Count > 0)
        {
            var step = parent.Steps[(int)random.NextBelow((ulong)parent.Steps.Count)];
            redraw.Add(((int)step.Cluster, ThreadId.Of(step.Vmidx, step.Cpuidx).Raw, step.Step));
        }
        else if (parent.Steps.Count > 0)
        {
            var step = parent.Steps[(int)random.NextBelow((ulong)parent.Steps.Count)];
            var direction = random.NextBelow(2) == 0 ? -1 : 1;
            skew[((int)step.Cluster, ThreadId.Of(step.Vmidx, step.Cpuidx).Raw)] = direction * (0.5 + (random.NextDouble() / 2));
        }
    }

    public int Choose(int cluster, ChoiceKind kind, ulong ordinal, ReadOnlySpan<uint> candidates, int drawn) =>
        choices.TryGetValue((cluster, ordinal), out var index) ? index : drawn;

    public long Delta(int cluster, ThreadContext context, ulong step, ulong cycles, double percent, long drawn)
    {
        var bound = cycles * percent / 100;
        if (redraw.Contains((cluster, context.Id.Raw, step)))
        {
            return (long)Math.Round(((random.NextDouble() * 2) - 1) * bound);
        }

        if (leanEveryThread && !skew.ContainsKey((cluster, context.Id.Raw)))
        {
            skew[(cluster, context.Id.Raw)] = (random.NextDouble() * 2) - 1;
        }

        if (skew.TryGetValue((cluster, context.Id.Raw), out var end))
        {
            return (long)Math.Round(end * bound);
        }

        return steps.TryGetValue((cluster, context.Id.Raw, step), out var delta) ? delta : drawn;
    }
}
