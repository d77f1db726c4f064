using Akka.Actor;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Placement of partitions on nodes, the second half of placement (the first is
/// <see cref="Core.Partitioning.Placement"/>: group g → partition g mod P).
/// <list type="number">
/// <item>The run's nodes are the members with role <c>node</c> that are Up and reachable when the
/// run starts, ordered by address (host, then port). The list is taken once: a node that joins
/// later gets no work in that run.</item>
/// <item>Partition p goes to node p mod N.</item>
/// </list>
/// Both steps are pure functions of their inputs, so a placement group (a whole Hexagon cluster)
/// never spans nodes: it lives in one partition, and a partition lives on one node. Results do
/// not depend on placement at all (architecture.md §4); placement only decides where work runs.
/// </summary>
public static class NodePlacement
{
    public static int NodeOfPartition(int partition, int nodeCount)
    {
        if (nodeCount < 1 || partition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeCount), $"partition {partition} on {nodeCount} nodes");
        }

        return partition % nodeCount;
    }

    /// <summary>The nodes in placement order: by host, then port (Akka's address ordering).</summary>
    public static IReadOnlyList<Address> Order(IEnumerable<Address> nodes)
    {
        var ordered = nodes.Distinct().ToList();
        ordered.Sort(Akka.Cluster.Member.AddressOrdering);
        return ordered;
    }

    /// <summary>node index → the partitions it hosts, ascending.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> PartitionsByNode(int partitionCount, int nodeCount)
    {
        var byNode = Enumerable.Range(0, nodeCount).Select(_ => new List<int>()).ToList();
        for (var p = 0; p < partitionCount; p++)
        {
            byNode[NodeOfPartition(p, nodeCount)].Add(p);
        }

        return byNode;
    }
}
