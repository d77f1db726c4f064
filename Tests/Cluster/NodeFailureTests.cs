using System.Diagnostics;
using Akka.Actor;
using Akka.Remote;
using Akka.Remote.Transport;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using H2Sim.Protocol.Cluster;
using H2Sim.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace H2Sim.Tests.Cluster;

/// <summary>
/// architecture.md §6: a node that dies or becomes unreachable mid-run fails the run with an
/// error naming the node and the window, within 30 s — never a hang, never a partial result —
/// and a node that joins mid-run gets no work in that run.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeFailureTests(ITestOutputHelper output)
{
    /// <summary>What a run may take to fail; an unreachable node is detected after ~10 s (hocon/cluster.conf).</summary>
    private static readonly TimeSpan FailureBudget = TimeSpan.FromSeconds(30);

    /// <summary>The throttler adapter lets a test cut a node off the network (Akka's own multi-node tests do the same).</summary>
    private const string CuttableNetwork = "akka.remote.dot-netty.tcp.applied-adapters = [trttl]";

    [Fact]
    public async Task A_node_killed_mid_run_fails_the_run_naming_the_node_and_the_window_and_a_latecomer_gets_no_work()
    {
        using var cluster = await TestCluster.StartAsync(3);
        var (run, running) = StartEndlessPhold(cluster);
        await running.WaitAsync(TestCluster.FormTimeout);
        var latecomer = await cluster.JoinAnotherAsync();
        var victim = cluster.Nodes[2];

        var stopwatch = Stopwatch.StartNew();
        await victim.System.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        var failure = await Assert.ThrowsAsync<SimulationFailedException>(() => run.WaitAsync(FailureBudget * 2));
        output.WriteLine($"failed {stopwatch.Elapsed.TotalSeconds:0.0}s after the node stopped: {failure.Message}");

        Assert.True(stopwatch.Elapsed < FailureBudget, $"the run failed {stopwatch.Elapsed.TotalSeconds:0.0}s after the node stopped");
        Assert.Contains($"node {victim.Address}", failure.Message, StringComparison.Ordinal);
        Assert.Matches(@"during window [1-9][0-9]*", failure.Message);
        var status = await latecomer.System.ActorSelection($"/user/{NodeHostActor.Name}").Ask<NodeStatus>(new NodeStatusRequest(), TimeSpan.FromSeconds(20));
        Assert.Equal(0UL, status.PartitionsDeployedTotal);
    }

    [Fact]
    public async Task A_node_cut_off_mid_run_is_detected_as_unreachable_and_fails_the_run_within_30s_naming_it_and_the_window()
    {
        using var cluster = await TestCluster.StartAsync(3, CuttableNetwork);
        var (run, running) = StartEndlessPhold(cluster);
        await running.WaitAsync(TestCluster.FormTimeout);
        var victim = cluster.Nodes[2];

        // Silence, as a crashed machine or a pulled cable gives: no death notices, no leave.
        var stopwatch = Stopwatch.StartNew();
        foreach (var other in cluster.Nodes.Take(2))
        {
            var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)victim.System).Provider).Transport;
            Assert.True(await transport.ManagementCommand(new SetThrottle(other.Address, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)));
        }

        var failure = await Assert.ThrowsAsync<SimulationFailedException>(() => run.WaitAsync(FailureBudget * 2));
        output.WriteLine($"failed {stopwatch.Elapsed.TotalSeconds:0.0}s after the node was cut off: {failure.Message}");

        Assert.True(stopwatch.Elapsed < FailureBudget, $"the run failed {stopwatch.Elapsed.TotalSeconds:0.0}s after the node was cut off");
        var victimIndex = NodePlacement.Order(cluster.Addresses).ToList().IndexOf(victim.Address);
        Assert.Contains($"node {victim.Address} (partitions {victimIndex}) became unreachable", failure.Message, StringComparison.Ordinal);
        Assert.Matches(@"during window [1-9][0-9]*", failure.Message);
    }

    /// <summary>A PHOLD run on every node with far more events than a test lasts: only a failure ends it.</summary>
    private static (Task<ClusterRunResult> Run, Task Running) StartEndlessPhold(TestCluster cluster)
    {
        var signal = new RunningSignalFactory(PholdFactory.Instance, eventsBeforeSignal: 20_000);
        var name = $"phold-signal-{Guid.NewGuid():N}";
        TestModels.Catalog.Register(name, signal);
        var spec = TestPhold.Spec(seed: 5, lps: 256, events: 10_000_000_000, remote: 0.3);
        spec.Model = name;
        var nodes = cluster.Addresses;
        var run = Task.Run(() => ClusterEngine.Run(cluster.First.System, spec, nodes.Count, nodes));
        return (run, signal.Running);
    }
}
