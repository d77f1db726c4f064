using H2Sim.Cluster.Engine;
using H2Sim.Core.Run;

namespace H2Sim.Cluster.Runs;

/// <summary>A finished run and where it ran.</summary>
/// <param name="Nodes">Nodes of the cluster the run was placed on (1 for the embedded engine).</param>
/// <param name="NodesUsed">Nodes that hosted at least one partition.</param>
/// <param name="Cluster">Placement details, when it ran on a cluster.</param>
public sealed record EngineRun(RunResult Result, int Nodes, int NodesUsed, ClusterRunResult? Cluster)
{
    /// <summary>A run in this process, without the actor engine (an observed run).</summary>
    public static EngineRun InProcess(RunResult result) => new(result, 1, 1, null);
}
