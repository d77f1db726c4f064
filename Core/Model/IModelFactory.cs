using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Model;

/// <summary>Builds a model's partitions from a spec and merges their reports.</summary>
public interface IModelFactory
{
    /// <summary>The actor/group layout of the whole system; the same on every node.</summary>
    ModelTopology Topology(ModelSpec spec);

    /// <summary>Builds the part of the model that lives on one partition.</summary>
    ISimModel Create(ModelSpec spec, PartitionView view);

    /// <summary>Merges every partition's report into the run's report.</summary>
    ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles);
}
