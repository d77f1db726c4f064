using H2Sim.Cluster.Artifacts;

namespace H2Sim.Cluster.Runs;

/// <summary>What a scenario run writes or feeds besides its result.</summary>
/// <param name="RecordPath">Record the run's log here (.h2log).</param>
/// <param name="Timeline">Draw the run's timeline into these files.</param>
/// <param name="Observer">Sees every delivery (the CLI's list of injected faults).</param>
public sealed record ScenarioOutputs(string? RecordPath = null, TimelineFiles? Timeline = null, Core.Partitioning.IDeliveryObserver? Observer = null)
{
    /// <summary>Whether anything watches the run's deliveries, so it must run in this process.</summary>
    public bool Observed => RecordPath is not null || Timeline is not null || Observer is not null;
}
