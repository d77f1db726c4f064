using H2Sim.Core.Randomness;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// One PCT run's priorities. A thread (a context slot; an idle hthread or a vmblock agent when no
/// context stands behind a candidate) gets a random place in the priority order when first seen.
/// At a choice point the candidate of highest priority wins. Guest timing follows priority: a
/// thread's compute steps run faster the higher it stands, from −bound (highest) to +bound
/// (lowest), so a low-priority thread keeps losing races as PCT's low-priority thread keeps not
/// being scheduled. At each of the d − 1 change points the thread of that step drops to the
/// lowest priority.
/// </summary>
public sealed class PctPolicy : IChoicePolicy, IGuestTimingPolicy
{
    private readonly List<long> order = new();
    private readonly HashSet<long> changePoints = new();
    private readonly Dictionary<int, ClusterRuntime> runtimes = new();
    private DeterministicRandom random;

    public PctPolicy(ulong seed, int depth, long expectedSteps)
    {
        random = new DeterministicRandom(seed, ExploreStreams.PctPolicy, RandomPurpose.Explore);
        for (var i = 0; i < depth - 1 && expectedSteps > 0; i++)
        {
            changePoints.Add(1 + (long)random.NextBelow((ulong)expectedSteps));
        }
    }

    /// <summary>Steps (choices and guest steps) this run took.</summary>
    public long Steps { get; private set; }

    public void Attach(ClusterRuntime runtime) => runtimes[runtime.Kernel.Cluster] = runtime;

    public int Choose(int cluster, ChoiceKind kind, ulong ordinal, ReadOnlySpan<uint> candidates, int drawn)
    {
        var best = 0;
        var bestRank = int.MaxValue;
        for (var i = 0; i < candidates.Length; i++)
        {
            var rank = Rank(KeyOf(cluster, kind, candidates[i]));
            if (rank < bestRank)
            {
                (best, bestRank) = (i, rank);
            }
        }

        Step(KeyOf(cluster, kind, candidates[best]));
        return best;
    }

    public long Delta(int cluster, ThreadContext context, ulong step, ulong cycles, double percent, long drawn)
    {
        var key = ThreadKey(cluster, context);
        var rank = Rank(key);
        Step(key);
        var place = order.Count <= 1 ? 0.5 : rank / (double)(order.Count - 1);
        return (long)Math.Round(cycles * percent / 100 * ((2 * place) - 1));
    }

    private void Step(long key)
    {
        Steps++;
        if (changePoints.Contains(Steps))
        {
            order.Remove(key);
            order.Add(key);
        }
    }

    /// <summary>The key's place in the priority order (0 = highest); a new key is inserted at a random place.</summary>
    private int Rank(long key)
    {
        var rank = order.IndexOf(key);
        if (rank >= 0)
        {
            return rank;
        }

        rank = (int)random.NextBelow((ulong)order.Count + 1);
        order.Insert(rank, key);
        return rank;
    }

    private long KeyOf(int cluster, ChoiceKind kind, uint candidate)
    {
        var local = kind == ChoiceKind.InterruptTaker ? (int)candidate : ActorLayout.LocalIndex(candidate);
        if (runtimes.TryGetValue(cluster, out var runtime) && local < runtime.Kernel.HThreads && runtime.Kernel.Runlist[local] is { } context)
        {
            return ThreadKey(cluster, context);
        }

        return (1L << 48) | ((long)cluster << 32) | (uint)local;
    }

    private static long ThreadKey(int cluster, ThreadContext context) => ((long)cluster << 32) | context.Id.Raw;
}
