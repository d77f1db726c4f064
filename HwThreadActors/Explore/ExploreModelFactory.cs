using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// The kernel model for one exploration run: the system as the definition says, with the run's
/// probe watching every cluster and the strategy's policies (if any) deciding its choice points
/// and guest timing. Nothing about the model changes; only who decides the open orders.
/// </summary>
public sealed class ExploreModelFactory(SystemDefinition definition, RunProbe probe, RunPlan plan) : IModelFactory, IFaultClassifier
{
    private readonly H2SystemFactory inner = new(definition);

    public string? FaultKind(in SimEvent ev) => H2SystemFactory.Classify(ev);

    public ModelTopology Topology(ModelSpec spec) => inner.Topology(spec);

    public ISimModel Create(ModelSpec spec, PartitionView view)
    {
        var model = (H2SystemModel)inner.Create(spec, view);
        for (var c = 0; c < definition.Topology.Clusters; c++)
        {
            if (model.Cluster(c) is not { } runtime)
            {
                continue;
            }

            runtime.ExploreObserver = probe;
            runtime.BklAcquired = probe.OnBklAcquired;
            runtime.Kernel.Choices.Policy = plan.Choices;
            runtime.GuestTiming.Policy = plan.Timing;
            plan.Attach?.Invoke(runtime);
        }

        return model;
    }

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        inner.Merge(spec, reports, reason, endCycles);
}
