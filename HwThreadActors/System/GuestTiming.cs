using H2Sim.Core.Randomness;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Guest timing as a choice point (docs/exploration.md): real cores vary a compute step's duration
/// with caches and contention, so each guest step that takes time may be perturbed within ± a
/// percentage of its cycles. A step is named by the context slot that runs it and its ordinal
/// there (vmidx:cpuidx, step n), so a perturbation means the same step when other steps change.
/// The perturbation comes, in this order, from the spec's explicit list (explicit_only: nothing
/// else), an online policy (an exploration strategy), or the seeded stream.
/// </summary>
public sealed class GuestTiming
{
    private readonly int cluster;
    private readonly double percent;
    private readonly bool explicitOnly;
    private readonly Dictionary<(uint Thread, ulong Step), long> explicitSteps = new();
    private readonly ulong[]?[] stepsOf = new ulong[KernelConstants.MaxVms][];
    private DeterministicRandom random;

    public GuestTiming(int cluster, ulong runSeed, GuestJitter? jitter)
    {
        this.cluster = cluster;
        percent = jitter?.Percent ?? 0;
        explicitOnly = jitter?.ExplicitOnly ?? false;
        random = new DeterministicRandom(jitter is { Seed: not 0 } ? jitter.Seed : runSeed, (ulong)cluster, RandomPurpose.GuestJitter);
        foreach (var step in jitter?.Steps ?? [])
        {
            if (step.Cluster == (uint)cluster)
            {
                explicitSteps[(ThreadId.Of(step.Vmidx, step.Cpuidx).Raw, step.Step)] = step.DeltaCycles;
            }
        }
    }

    /// <summary>An exploration strategy that decides the perturbations online (null: the stream).</summary>
    public IGuestTimingPolicy? Policy { get; set; }

    /// <summary>False when no step can be perturbed: the guest runs as written and nothing is counted.</summary>
    public bool Active => percent > 0 || explicitSteps.Count > 0 || Policy is not null;

    /// <summary>
    /// The change to a new step of <paramref name="cycles"/> run by <paramref name="context"/>, and
    /// the step's ordinal for that context slot. Never shortens a step below zero cycles.
    /// </summary>
    public (long Delta, ulong Step) Perturb(ThreadContext context, ulong cycles)
    {
        var step = NextStep(context);
        long delta;
        if (explicitOnly)
        {
            delta = explicitSteps.GetValueOrDefault((context.Id.Raw, step));
        }
        else
        {
            var bound = cycles * percent / 100;
            var drawn = percent > 0 ? (long)Math.Round(((random.NextDouble() * 2) - 1) * bound) : 0;
            delta = explicitSteps.TryGetValue((context.Id.Raw, step), out var listed)
                ? listed
                : Policy?.Delta(cluster, context, step, cycles, percent, drawn) ?? drawn;
        }

        return (Math.Max(delta, -(long)cycles), step);
    }

    private ulong NextStep(ThreadContext context)
    {
        var vmidx = context.VmBlock.Vmidx;
        var steps = stepsOf[vmidx] ??= new ulong[context.VmBlock.MaxCpus];
        if (context.Cpuidx >= steps.Length)
        {
            // The slot was configured again with more contexts: keep the counts so far.
            Array.Resize(ref stepsOf[vmidx], (int)context.Cpuidx + 1);
            steps = stepsOf[vmidx]!;
        }

        return steps[context.Cpuidx]++;
    }
}

/// <summary>Decides guest-step perturbations online (an exploration strategy such as PCT).</summary>
public interface IGuestTimingPolicy
{
    /// <summary>The change in cycles to the <paramref name="step"/>-th step of <paramref name="context"/>; <paramref name="drawn"/> is the stream's draw.</summary>
    long Delta(int cluster, ThreadContext context, ulong step, ulong cycles, double percent, long drawn);
}
