using Akka.Actor;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Serialization;
using H2Sim.Protocol.Window;
using H2Sim.Tests.Scenarios;
using H2Sim.Tests.Support;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Cluster;

/// <summary>Three cluster nodes in this process, shared by the tests of <see cref="ThreeNodeRunTests"/>.</summary>
public sealed class ThreeNodeFixture : IAsyncLifetime
{
    /// <summary>
    /// Small chunks, so the tests' batches cross the wire in several pieces as a large window's do
    /// (the default is 16384 events per message).
    /// </summary>
    public const int MaxEventsPerBatch = 40;

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await TestCluster.StartAsync(3, $"h2sim.engine.max-events-per-batch = {MaxEventsPerBatch}");

    public Task DisposeAsync()
    {
        Cluster.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// architecture.md §6 on a real 3-node cluster (Akka.Remote over TCP on 127.0.0.1): a run on N
/// nodes gives the 1-node trace hash, and every message between nodes is protobuf through
/// h2sim's serializer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ThreeNodeRunTests(ThreeNodeFixture fixture) : IClassFixture<ThreeNodeFixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public void Phold_gives_the_one_node_trace_hash_on_two_and_three_nodes()
    {
        var spec = TestPhold.Spec(seed: 7, lps: 256, events: 150_000, remote: 0.3);
        var one = InProcessRunner.Run(spec, PholdFactory.Instance);

        var two = ClusterEngine.Run(Cluster.First.System, spec, 4, Cluster.Addresses.Take(2).ToList());
        var three = ClusterEngine.Run(Cluster.First.System, spec, 6, Cluster.Addresses);

        Assert.Equal(one.TraceHash, two.Result.TraceHash);
        Assert.Equal(one.TraceHash, three.Result.TraceHash);
        Assert.Equal(one.Events, three.Result.Events);
        Assert.Equal(2, two.NodeOfPartition.Distinct().Count());
        Assert.Equal(3, three.NodeOfPartition.Distinct().Count());
    }

    [Fact]
    public void Every_message_between_nodes_goes_through_the_protobuf_serializer()
    {
        var system = Cluster.First.System;
        Assert.IsType<ProtobufSerializer>(system.Serialization.FindSerializerFor(new WindowAdvance()));
        Assert.IsType<ProtobufSerializer>(system.Serialization.FindSerializerFor(new EventBatch()));
        Assert.IsType<RejectNonProtobufSerializer>(system.Serialization.FindSerializerFor(new NotProtobuf(1)));
        var spec = TestPhold.Spec(seed: 3, lps: 256, events: 100_000, remote: 0.3);
        var serializedBefore = ProtobufSerializer.SerializedCount;
        var rejectedBefore = RejectNonProtobufSerializer.RejectedCount;

        var run = ClusterEngine.Run(system, spec, 3, Cluster.Addresses);

        // Partitions 1 and 2 live on other nodes than the coordinator: each window sends each of
        // them a WindowAdvance and brings back a WindowDone, all serialized here or there.
        var remotePartitions = run.NodeOfPartition.Count(node => node != Cluster.First.Address);
        Assert.Equal(2, remotePartitions);
        var controlMessages = 2L * (long)run.Result.Windows * remotePartitions;
        Assert.True(
            ProtobufSerializer.SerializedCount - serializedBefore >= controlMessages,
            $"{ProtobufSerializer.SerializedCount - serializedBefore} messages serialized by ProtobufSerializer, expected at least {controlMessages}");
        Assert.Equal(rejectedBefore, RejectNonProtobufSerializer.RejectedCount);
    }

    [Fact]
    public void A_multi_cluster_kernel_system_gives_the_one_node_trace_hash_on_three_nodes()
    {
        var one = H2Run.Run(FourClusters(), KernelVariant.Master, seed: 9).Result;
        Assert.Equal("exit", one.Report.OutcomeKind);

        var name = $"cluster-test-{Guid.NewGuid():N}";
        TestModels.Catalog.Register(name, new OneAtATimeFactory(new H2SystemFactory(FourClusters())));
        var spec = H2Run.Spec(KernelVariant.Master, seed: 9, scenario: "four-clusters");
        spec.Model = name;
        var three = ClusterEngine.Run(Cluster.First.System, spec, 4, Cluster.Addresses);

        Assert.Equal(one.TraceHash, three.Result.TraceHash);
        Assert.Equal(one.Events, three.Result.Events);
        Assert.Equal("exit", three.Result.Report.OutcomeKind);
        Assert.Equal(5, three.Result.Report.Vms.Count);
        // Partitions 0 and 3 (clusters 0 and 3) share the first node; a cluster never spans two.
        Assert.Equal(three.NodeOfPartition[0], three.NodeOfPartition[3]);
        Assert.Equal(3, three.NodeOfPartition.Distinct().Count());
    }

    [Fact]
    public void A_scenario_travels_in_the_spec_and_gives_the_one_node_trace_hash_on_three_nodes()
    {
        var file = Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "cluster", "cross_cluster_supervisors.yaml");
        var scenario = ScenarioLoader.Load(File.ReadAllText(file), file);
        var options = new ScenarioRunOptions(KernelVariant.Master, Seed: 4);
        var one = ScenarioRunner.Run(scenario, options);
        Assert.Equal("PASS", one.Verdict.Kind);

        // Model "kernel": every node rebuilds the system from the scenario text in the spec.
        var three = ClusterEngine.Run(Cluster.First.System, ScenarioRunner.Spec(scenario, options), 4, Cluster.Addresses);

        Assert.Equal(one.Result.TraceHash, three.Result.TraceHash);
        Assert.Equal("PASS", Verdict.Judge(scenario, three.Result.Report).Kind);
    }

    /// <summary>v81: 4 clusters of 4 hthreads; VMs on every cluster whose threads contend and yield.</summary>
    private static SystemDefinition FourClusters()
    {
        var definition = new SystemDefinition(Topology.Preset("v81")) { Name = "four-clusters" };
        definition.Program("main", Yielder);
        definition.Program("yielder", Yielder);
        definition.AddVm("a0", "main", cluster: 0);
        definition.AddVm("a1", "main", cluster: 0);
        definition.AddVm("b", "main", cluster: 1);
        definition.AddVm("c", "main", cluster: 2);
        definition.AddVm("d", "main", cluster: 3);
        return definition;
    }

    private static IEnumerable<GuestAction> Yielder(GuestThread t)
    {
        if (t.Arg == 0)
        {
            for (var i = 1; i <= 1 + t.ClusterIndex; i++)
            {
                yield return GuestLib.ThreadCreate(t.PcOf("yielder"), i);
            }
        }

        for (var i = 0; i < 15; i++)
        {
            yield return Spin((ulong)(90 + (t.Arg * 41) + (t.ClusterIndex * 13)));
            yield return Trap0(Trap0Numbers.Yield);
        }
    }

    private sealed record NotProtobuf(int Value);
}
