using Akka.Actor;
using H2Sim.Cluster.Nodes;

namespace H2Sim.Cluster.Runs;

/// <summary>
/// Where a run's partitions go (docs/cluster.md): this process (the embedded default), local
/// worker nodes this process starts, or a running cluster. Every placement gives the same trace hash.
/// </summary>
public abstract record RunPlacement
{
    /// <summary>How many partitions (null: 1 embedded, one per node on a cluster).</summary>
    public int? Partitions { get; init; }

    /// <summary>Every partition an actor of one ActorSystem in this process.</summary>
    public sealed record Embedded : RunPlacement;

    /// <summary>This process and <paramref name="Nodes"/>−1 workers it starts on this machine with <paramref name="Launch"/>.</summary>
    /// <param name="JoinTimeout">How long to wait for the workers (null: h2sim.cluster.join-timeout).</param>
    public sealed record LocalNodes(int Nodes, string Hostname, NodeLaunchCommand Launch, TimeSpan? JoinTimeout) : RunPlacement;

    /// <summary>The running cluster <paramref name="Seed"/> belongs to, waiting for <paramref name="Nodes"/> nodes (null: 1).</summary>
    /// <param name="JoinTimeout">How long to wait for the seed and the nodes (null: h2sim.cluster.join-timeout).</param>
    public sealed record RunningCluster(Address Seed, int? Nodes, string Hostname, TimeSpan? JoinTimeout) : RunPlacement;

    /// <summary>Whether the run leaves this process.</summary>
    public bool IsClustered => this is not Embedded;
}
