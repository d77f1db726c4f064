using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>Which message faults an exploration injects: none (correct hardware), a given plan, or a plan drawn per run (swarm).</summary>
public enum FaultMode
{
    None,
    Plan,
    Random,
}

/// <summary>
/// What an exploration searches (docs/exploration.md): the strategy, its seed, the bound on guest
/// timing (± percent of each step), the fault dimension, PCT's depth and the exhaustive bound.
/// </summary>
public sealed record ExploreSettings(ExploreStrategy Strategy, ulong Seed)
{
    public const double DefaultGuestJitterPercent = 25;

    public double GuestJitterPercent { get; init; } = DefaultGuestJitterPercent;

    public FaultMode Faults { get; init; } = FaultMode.None;

    /// <summary>The plan for <see cref="FaultMode.Plan"/>.</summary>
    public FaultPlan? Plan { get; init; }

    /// <summary>PCT's d: priority change points per run are d − 1.</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>Exhaustive: how many contested choices of each run are enumerated.</summary>
    public int ExhaustiveBound { get; init; } = 10;

    /// <summary>Exhaustive: skip states already explored (false: enumerate every assignment, to measure the space).</summary>
    public bool StateHashing { get; init; } = true;

    /// <summary>Save each distinct failure minimised (false: count them only, for quick matrices).</summary>
    public bool Minimise { get; init; } = true;
}
