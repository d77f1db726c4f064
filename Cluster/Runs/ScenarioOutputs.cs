using H2Sim.Cluster.Artifacts;

namespace H2Sim.Cluster.Runs;

/// <summary>What a scenario run writes or feeds besides its result.</summary>
/// <param name="RecordPath">Record the run's log here (.h2log).</param>
/// <param name="Timeline">Draw the run's timeline into these files.</param>
/// <param name="Observer">Sees every delivery.</param>
public sealed record ScenarioOutputs(string? RecordPath = null, TimelineFiles? Timeline = null, Core.Partitioning.IDeliveryObserver? Observer = null)
{
    /// <summary>
    /// List the faults a fault plan injects (<see cref="ScenarioEngineRun.InjectedFaults"/>). The
    /// list needs every delivery, so such a run goes in process; placed on a cluster, the faults
    /// are injected but not listed.
    /// </summary>
    public bool ListFaults { get; init; }

    /// <summary>Whether anything watches the run's deliveries, so it must run in this process.</summary>
    public bool Observed => RecordPath is not null || Timeline is not null || Observer is not null;
}
