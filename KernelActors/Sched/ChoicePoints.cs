using H2Sim.Core.Randomness;
using H2Sim.Protocol.Model;

namespace H2Sim.KernelActors;

/// <summary>An order the hardware leaves unspecified (architecture.md §3): a named choice point.</summary>
public enum ChoiceKind
{
    /// <summary>Which hthread spinning on the BKL gets it when the holder releases it (k0unlock has no fairness).</summary>
    BklRelease = 1,

    /// <summary>Which of several agents that reach a free BKL in the same cycle gets it.</summary>
    BklArrival = 2,

    /// <summary>Which of the hthreads able to take a pending interrupt takes it.</summary>
    InterruptTaker = 3,
}

/// <summary>
/// One cluster's choice points: every choice between two or more candidates draws from the stream
/// of its kind (run seed or Schedule.choice_seed, cluster, kind) unless the schedule forces it by
/// its ordinal, and is reported to <see cref="IKernelEffects.RecordChoice"/> so it is in the trace.
/// The candidates are passed in a fixed order (agent or hthread number ascending), so a choice
/// index means the same on every partition. The stream is drawn for every choice, forced or not,
/// so forcing one choice leaves every other choice of the run as the seed decides it.
/// </summary>
public sealed class ChoicePoints
{
    private readonly IKernelEffects effects;
    private readonly ForcedChoice[] forced;
    private readonly int cluster;
    private DeterministicRandom bklRelease;
    private DeterministicRandom bklArrival;
    private DeterministicRandom interruptTaker;
    private int nextForced;

    public ChoicePoints(int cluster, ulong runSeed, FaultPlan? faults, Schedule? schedule, IKernelEffects effects)
    {
        this.effects = effects;
        this.cluster = cluster;
        var choiceSeed = schedule is { ChoiceSeed: not 0 } ? schedule.ChoiceSeed : runSeed;
        var bklSeed = faults is { BklSeed: not 0 } ? faults.BklSeed : choiceSeed;
        bklRelease = new DeterministicRandom(bklSeed, (ulong)cluster, RandomPurpose.BklRelease);
        bklArrival = new DeterministicRandom(bklSeed, (ulong)cluster, RandomPurpose.BklArrival);
        interruptTaker = new DeterministicRandom(choiceSeed, (ulong)cluster, RandomPurpose.InterruptTaker);
        forced = schedule?.Forced.Where(f => f.Cluster == (uint)cluster).OrderBy(f => f.Ordinal).ToArray() ?? [];
    }

    /// <summary>An exploration strategy that decides unforced choices instead of the stream (null: the stream).</summary>
    public IChoicePolicy? Policy { get; set; }

    /// <summary>Choices with two or more candidates made so far on this cluster.</summary>
    public ulong Ordinal { get; private set; }

    /// <summary>
    /// Picks one of <paramref name="candidates"/> (agent or hthread numbers); returns its index.
    /// <paramref name="subject"/> says what is being decided (the interrupt number for a taker).
    /// </summary>
    public int Choose(ChoiceKind kind, ReadOnlySpan<uint> candidates, int subject = 0)
    {
        if (candidates.Length <= 1)
        {
            return 0;
        }

        var ordinal = Ordinal++;
        while (nextForced < forced.Length && forced[nextForced].Ordinal < ordinal)
        {
            nextForced++;
        }

        var drawn = (int)Stream(kind).NextBelow((ulong)candidates.Length);
        var index = nextForced < forced.Length && forced[nextForced].Ordinal == ordinal
            ? (int)(forced[nextForced].Index % (uint)candidates.Length)
            : (int)((uint)(Policy?.Choose(cluster, kind, ordinal, candidates, drawn) ?? drawn) % (uint)candidates.Length);
        effects.RecordChoice(kind, subject, candidates.Length, index, candidates[index]);
        return index;
    }

    private ref DeterministicRandom Stream(ChoiceKind kind)
    {
        switch (kind)
        {
            case ChoiceKind.BklRelease:
                return ref bklRelease;
            case ChoiceKind.BklArrival:
                return ref bklArrival;
            default:
                return ref interruptTaker;
        }
    }
}
