using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// A search strategy over the choice points (docs/exploration.md): it proposes each run — a plain
/// spec, with optional online policies for the choices and guest timing — and learns from what the
/// run reached. Every run it proposes is saved, when it fails, as its forced decisions, so a
/// failure replays without the strategy.
/// </summary>
public interface IExploreStrategy
{
    string Name { get; }

    /// <summary>The next run, or null when the strategy has nothing left to try (exhaustive: the bounded space is covered).</summary>
    RunPlan? Next(int run);

    /// <summary>What run <paramref name="plan"/> reached: its probe (items, decisions, choice sites) and how many items were new.</summary>
    void Learn(RunPlan plan, RunProbe probe, int newItems, bool failed);
}

/// <summary>One run as a strategy proposes it.</summary>
public sealed record RunPlan(ModelSpec Spec)
{
    public IChoicePolicy? Choices { get; init; }

    public IGuestTimingPolicy? Timing { get; init; }

    /// <summary>Called with each cluster's runtime before the run starts (a policy that needs to see the kernel).</summary>
    public Action<ClusterRuntime>? Attach { get; init; }

    /// <summary>Compute a state fingerprint at every choice point (exhaustive).</summary>
    public bool Fingerprints { get; init; }

    /// <summary>What the strategy needs to remember about this run (exhaustive: how many choices it forced).</summary>
    public int Tag { get; init; }
}
