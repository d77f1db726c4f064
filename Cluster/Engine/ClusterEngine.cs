using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using H2Sim.Cluster.Settings;
using H2Sim.Core.Events;
using H2Sim.Core.Input;
using H2Sim.Core.Run;
using H2Sim.Protocol.Cluster;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Runs a spec on partitions spread over the nodes of an Akka.Cluster (architecture.md §6), with
/// the same <see cref="CoordinatorActor"/> window protocol as the embedded
/// <see cref="AkkaEngine"/>, over Akka.Remote:
/// <list type="number">
/// <item>place partitions on nodes (<see cref="NodePlacement"/>);</item>
/// <item>ask each node's <see cref="NodeHostActor"/> to create its partition actors;</item>
/// <item>start the coordinator here, and a <see cref="RunNodeWatcher"/> that fails the run, naming
/// the node and the window, as soon as one of the run's nodes is lost;</item>
/// <item>wait for the result, then release the partitions on every node (also on failure).</item>
/// </list>
/// Only protobuf messages cross nodes (Protocol/Protos/window.proto, cluster.proto). The trace
/// hash does not depend on the nodes: a run on N nodes is the same run as on one.
/// </summary>
public static class ClusterEngine
{
    /// <summary>Room left in a frame for a message's envelope (recipient and sender paths, manifest).</summary>
    private const long FrameEnvelopeBytes = 16 * 1024;

    /// <param name="system">This process's ActorSystem, a member of the cluster (it runs the coordinator).</param>
    /// <param name="nodes">The run's nodes; usually <see cref="ClusterMembership.UpNodes"/> at the start.</param>
    /// <param name="cancel">Fails the run, naming the window, when cancelled (Ctrl-C).</param>
    /// <param name="progress">Updated after each window, for a progress display (optional).</param>
    public static ClusterRunResult Run(ActorSystem system, ModelSpec spec, int partitionCount, IReadOnlyList<Address> nodes, CancellationToken cancel = default, RunProgress? progress = null)
    {
        if (partitionCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, "a run has at least 1 partition");
        }

        var ordered = NodePlacement.Order(nodes);
        if (ordered.Count == 0)
        {
            throw new SimulationFailedException("no cluster node is up to host partitions");
        }

        CheckFitsInFrames(system, spec, partitionCount);
        var stopwatch = Stopwatch.StartNew();
        var runId = BitConverter.ToUInt64(Guid.NewGuid().ToByteArray(), 0);
        var byNode = NodePlacement.PartitionsByNode(partitionCount, ordered.Count);
        var deployedOn = new List<Address>();
        IActorRef? watcher = null;
        try
        {
            var (partitions, nodeOfPartition) = Deploy(system, runId, ordered, byNode, deployedOn, cancel);
            var completion = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            var coordinator = system.ActorOf(
                CoordinatorActor.Props(
                    spec,
                    partitions,
                    completion,
                    EngineSettings.From(system.Settings.Config).WindowTimeout,
                    p => $"partition {p} on node {nodeOfPartition[p]}",
                    runId,
                    progress),
                $"run{runId:x16}-coordinator");
            var partitionsOfNode = Enumerable.Range(0, ordered.Count)
                .Where(n => byNode[n].Count > 0)
                .ToDictionary(n => ordered[n], n => string.Join(", ", byNode[n]));
            watcher = system.ActorOf(RunNodeWatcher.Props(coordinator, partitionsOfNode), $"run{runId:x16}-node-watcher");
            using var interrupt = cancel.Register(() => coordinator.Tell(new RunInterrupted("the run was interrupted")));
            var timedOut = new RunInterrupted(WallDeadline.Description, WallTimeout: true);
            using var deadline = WallDeadline.Token.Register(() => coordinator.Tell(timedOut));
            var result = completion.Task.GetAwaiter().GetResult();
            return new ClusterRunResult(result, ordered, nodeOfPartition, stopwatch.Elapsed.TotalSeconds);
        }
        finally
        {
            if (watcher is not null)
            {
                system.Stop(watcher);
            }

            foreach (var node in deployedOn)
            {
                HostOf(system, node).Tell(new ReleaseRun { RunId = runId });
            }
        }
    }

    /// <summary>Asks every node that gets partitions to create them; waits for all, naming a node that fails.</summary>
    private static (IActorRef[] Partitions, Address[] NodeOfPartition) Deploy(
        ActorSystem system,
        ulong runId,
        IReadOnlyList<Address> nodes,
        IReadOnlyList<IReadOnlyList<int>> byNode,
        List<Address> deployedOn,
        CancellationToken cancel)
    {
        var timeout = ClusterMembershipSettings.From(system.Settings.Config).DeployTimeout;
        var asks = new List<(Address Node, Task<PartitionsDeployed> Reply)>();
        for (var n = 0; n < nodes.Count; n++)
        {
            if (byNode[n].Count == 0)
            {
                continue;
            }

            var deploy = new DeployPartitions { RunId = runId };
            deploy.Partitions.AddRange(byNode[n].Select(p => (uint)p));
            deployedOn.Add(nodes[n]);
            asks.Add((nodes[n], HostOf(system, nodes[n]).Ask<PartitionsDeployed>(deploy, timeout, cancel)));
        }

        var partitionCount = byNode.Sum(list => list.Count);
        var partitions = new IActorRef[partitionCount];
        var nodeOfPartition = new Address[partitionCount];
        var provider = ((ExtendedActorSystem)system).Provider;
        foreach (var (node, reply) in asks)
        {
            PartitionsDeployed deployed;
            try
            {
                deployed = reply.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException or OperationCanceledException)
            {
                throw new SimulationFailedException(cancel.IsCancellationRequested
                    ? "the run was interrupted during window 0 (setup)"
                    : $"node {node} did not create its partitions within {timeout.TotalSeconds:0}s during window 0 (setup); is it an h2sim node?");
            }

            if (!string.IsNullOrEmpty(deployed.Error))
            {
                throw new SimulationFailedException($"node {node} refused its partitions during window 0 (setup): {deployed.Error}");
            }

            for (var i = 0; i < deployed.Partitions.Count; i++)
            {
                var p = (int)deployed.Partitions[i];
                partitions[p] = provider.ResolveActorRef(deployed.PartitionPaths[i]);
                nodeOfPartition[p] = node;
            }
        }

        return (partitions, nodeOfPartition);
    }

    private static ActorSelection HostOf(ActorSystem system, Address node) =>
        system.ActorSelection(new RootActorPath(node) / "user" / NodeHostActor.Name);

    /// <summary>
    /// Every message must fit one remote frame (hocon/cluster.conf). Batches are chunked to fit;
    /// the setup carries the whole spec (a scenario's text), so a spec too large fails here, up
    /// front, instead of being dropped by the transport mid-setup.
    /// </summary>
    private static void CheckFitsInFrames(ActorSystem system, ModelSpec spec, int partitionCount)
    {
        var config = system.Settings.Config;
        var frameBytes = config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size") ?? 128_000;
        var batchBytes = (long)EngineSettings.From(config).MaxEventsPerBatch * EventCodec.EncodedSize;
        if (batchBytes + FrameEnvelopeBytes > frameBytes)
        {
            throw new InputException(
                $"h2sim.engine.max-events-per-batch x {EventCodec.EncodedSize} B = {batchBytes} B does not fit akka.remote.dot-netty.tcp.maximum-frame-size = {frameBytes} B");
        }

        // A partition path is well under 256 bytes; the setup lists one per partition.
        var setupBytes = spec.CalculateSize() + (256L * partitionCount);
        if (setupBytes + FrameEnvelopeBytes > frameBytes)
        {
            throw new InputException(string.Create(
                CultureInfo.InvariantCulture,
                $"the run's setup ({setupBytes} B: the spec and {partitionCount} partition paths) does not fit one remote frame (akka.remote.dot-netty.tcp.maximum-frame-size = {frameBytes} B)"));
        }
    }
}

/// <summary>A run on a cluster: the engine's result and where each partition ran.</summary>
/// <param name="Nodes">The run's nodes, in placement order.</param>
/// <param name="NodeOfPartition">partition → the node that hosted it.</param>
/// <param name="TotalSeconds">Deployment, the run and collecting its result (the run alone is <see cref="RunResult.WallSeconds"/>).</param>
public sealed record ClusterRunResult(RunResult Result, IReadOnlyList<Address> Nodes, IReadOnlyList<Address> NodeOfPartition, double TotalSeconds);
