using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Builds the H2 system model's partitions from a definition (C# API or scenario file). A cluster
/// is a placement group: actors c·80 … c·80+79 (<see cref="ActorLayout"/>).
/// </summary>
public sealed class H2SystemFactory(SystemDefinition definition) : IModelFactory
{
    public SystemDefinition Definition { get; } = definition;

    /// <summary>The models built by the last Create calls, by partition (tests look inside).</summary>
    public Dictionary<int, H2SystemModel> Built { get; } = new();

    public ModelTopology Topology(ModelSpec spec) =>
        new((uint)(Definition.Topology.Clusters * ActorLayout.PerCluster), Definition.Topology.Clusters, ActorLayout.ClusterOf);

    public ISimModel Create(ModelSpec spec, PartitionView view)
    {
        var model = new H2SystemModel(spec, view, Definition);
        Built[view.Partition] = model;
        return model;
    }

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        OutcomeReport.Merge(Definition, reports, reason, endCycles);
}
