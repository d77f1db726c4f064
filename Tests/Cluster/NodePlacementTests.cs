using Akka.Actor;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Cluster;

/// <summary>Placement on nodes is a pure, documented function, and it never splits a Hexagon cluster.</summary>
public sealed class NodePlacementTests
{
    [Fact]
    public void Partition_p_goes_to_node_p_mod_n_with_nodes_ordered_by_host_then_port()
    {
        var nodes = NodePlacement.Order(
        [
            new Address("akka.tcp", "h2sim", "127.0.0.1", 5002),
            new Address("akka.tcp", "h2sim", "127.0.0.1", 4053),
            new Address("akka.tcp", "h2sim", "10.0.0.7", 9000),
        ]);

        Assert.Equal(["10.0.0.7:9000", "127.0.0.1:4053", "127.0.0.1:5002"], nodes.Select(n => $"{n.Host}:{n.Port}"));
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], Enumerable.Range(0, 7).Select(p => NodePlacement.NodeOfPartition(p, 3)));
        Assert.Equal([[0, 3], [1, 4], [2]], NodePlacement.PartitionsByNode(5, 3));
    }

    [Fact]
    public void Every_actor_of_a_placement_group_lands_on_one_node()
    {
        // 4 Hexagon clusters of 80 actors each (the kernel model's layout), 3 partitions, 2 nodes.
        var topology = new H2Sim.Core.Model.ModelTopology(4 * 80, 4, actor => (int)(actor / 80));
        var partitionOfActor = Placement.PartitionOfEveryActor(topology, 3);
        for (var group = 0; group < 4; group++)
        {
            var nodesOfGroup = Enumerable.Range(group * 80, 80)
                .Select(actor => NodePlacement.NodeOfPartition(partitionOfActor[actor], 2))
                .Distinct();
            Assert.Single(nodesOfGroup);
        }
    }

    [Theory]
    [InlineData("127.0.0.1:4053", "127.0.0.1", 4053)]
    [InlineData("node7.lab:1", "node7.lab", 1)]
    public void A_seed_node_is_host_colon_port(string text, string host, int port)
    {
        var address = ClusterConfig.ParseNodeAddress(text);
        Assert.Equal(new Address("akka.tcp", ClusterConfig.SystemName, host, port), address);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData(":4053")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:-1")]
    public void A_seed_node_without_a_valid_port_is_a_usage_error(string text) =>
        Assert.Throws<InputException>(() => ClusterConfig.ParseNodeAddress(text));

    [Fact]
    public void Batches_cut_into_small_chunks_give_the_same_trace_hash()
    {
        var spec = TestPhold.Spec(seed: 8, lps: 256, events: 60_000, remote: 0.5);
        var whole = InProcessRunner.Run(spec, PholdFactory.Instance, 3);

        var chunked = AkkaEngine.Run(spec, 3, TestModels.Catalog, "h2sim.engine.max-events-per-batch = 7");

        Assert.Equal(whole.TraceHash, chunked.TraceHash);
        Assert.Equal(whole.Events, chunked.Events);
    }
}
