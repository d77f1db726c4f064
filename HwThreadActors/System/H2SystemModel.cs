using H2Sim.Core.Events;
using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// The H2 system on one partition: the clusters placed here (a cluster is one placement group,
/// so it never spans partitions), each with its kernel and hthreads. Implements the engine's model
/// contract; knows nothing of windows or Akka.
/// </summary>
public sealed class H2SystemModel : ISimModel
{
    private readonly ClusterRuntime?[] clusters;
    private readonly SystemOutcome outcome = new();

    public H2SystemModel(ModelSpec spec, PartitionView view, SystemDefinition definition)
    {
        var kernel = spec.Kernel ?? throw new InputException("kernel model: missing kernel parameters");
        var variant = KernelVariants.Parse(kernel.Kernel);
        var bugs = KernelBugs.Parse(kernel.Bugs);
        var policies = KernelPolicies.Parse(kernel.Policies.OrderBy(p => p.Key, StringComparer.Ordinal));
        clusters = new ClusterRuntime?[definition.Topology.Clusters];
        for (var c = 0; c < clusters.Length; c++)
        {
            if (view.OwnsGroup(c))
            {
                clusters[c] = new ClusterRuntime(definition, c, variant, bugs, spec.Seed, outcome, spec.Faults, spec.Schedule, CheckModes.Decode(kernel.Check) == CheckMode.Full, spec.GuestJitter, policies);
            }
        }
    }

    public bool StopRequested => outcome.Stopped;

    public SystemOutcome Outcome => outcome;

    /// <summary>The runtime of a cluster placed on this partition (tests inspect the kernel through it).</summary>
    public ClusterRuntime? Cluster(int index) => clusters[index];

    public void Start(IEventSink sink)
    {
        foreach (var cluster in clusters)
        {
            cluster?.Start(sink);
        }
    }

    public void Deliver(in SimEvent ev, IEventSink sink)
    {
        if (outcome.Stopped)
        {
            return;
        }

        clusters[ActorLayout.ClusterOf(ev.Target)]!.Deliver(ev, sink);
    }

    public ModelReport Finish(RunEndReason reason, ulong endCycles)
    {
        foreach (var cluster in clusters)
        {
            if (outcome.FailureKind is null)
            {
                cluster?.CheckAtEnd();
            }
        }

        return OutcomeReport.ForPartition(outcome, clusters, reason, endCycles);
    }
}
