using Akka.Actor;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Nodes;

/// <summary>
/// A launcher's cluster for the runs of one command (`h2sim run|bench … --nodes N` or
/// `--cluster HOST:PORT`):
/// <list type="bullet">
/// <item><see cref="LaunchLocal"/>: this process is the first node (it also hosts partitions)
/// and starts N−1 `h2sim node` workers beside itself on this machine; disposing stops them.</item>
/// <item><see cref="JoinRunning"/>: this process joins a running cluster only to coordinate;
/// the cluster's nodes host the partitions and keep running afterwards.</item>
/// </list>
/// Disposing leaves the cluster. After a run that lost a node it does not wait politely: local
/// workers get a short grace, then are killed and marked down, and a launcher that only joined
/// stops without a leave, so a lost node cannot stall the exit.
/// </summary>
public sealed class ClusterSession : IDisposable
{
    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FailedStop = TimeSpan.FromSeconds(3);

    private readonly ClusterNode node;
    private readonly LocalWorkers? workers;
    private bool failed;
    private bool disposed;

    private ClusterSession(ClusterNode node, LocalWorkers? workers, IReadOnlyList<Address> nodes)
    {
        this.node = node;
        this.workers = workers;
        Nodes = nodes;
    }

    /// <summary>The run's nodes in placement order, taken when the session started.</summary>
    public IReadOnlyList<Address> Nodes { get; }

    public ActorSystem System => node.System;

    /// <summary>The local worker processes this session started (none with <see cref="JoinRunning"/>).</summary>
    public IReadOnlyList<int> WorkerProcessIds => workers?.ProcessIds ?? [];

    /// <summary>Starts this node and <paramref name="nodeCount"/>−1 local workers; returns once all are Up.</summary>
    /// <param name="joinTimeout">How long to wait for the nodes (null: h2sim.cluster.join-timeout).</param>
    public static ClusterSession LaunchLocal(int nodeCount, NodeLaunchCommand command, string hostname, ModelCatalog models, CancellationToken cancel, TimeSpan? joinTimeout = null)
    {
        if (nodeCount < 1)
        {
            throw new InputException($"a run needs at least 1 node, got {nodeCount}");
        }

        var self = ClusterNode.Start(hostname, 0, models);
        LocalWorkers? workers = null;
        try
        {
            self.Join([]);
            workers = LocalWorkers.Start(nodeCount - 1, command, hostname, self.HostPort);
            var nodes = WaitForNodes(self, nodeCount, workers, joinTimeout, cancel);
            return new ClusterSession(self, workers, nodes);
        }
        catch
        {
            workers?.Stop(TimeSpan.Zero);
            workers?.Dispose();
            self.Stop(leave: false, TimeSpan.FromSeconds(10));
            self.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Joins the cluster at <paramref name="seed"/> as a coordinator; returns once it is Up and
    /// at least <paramref name="nodeCount"/> nodes (default 1) are, with every node Up then.
    /// </summary>
    /// <param name="joinTimeout">How long to wait for the seed and the nodes (null: h2sim.cluster.join-timeout).</param>
    public static ClusterSession JoinRunning(Address seed, int? nodeCount, string hostname, ModelCatalog models, CancellationToken cancel, TimeSpan? joinTimeout = null)
    {
        var self = ClusterNode.Start(hostname, 0, models, hostsPartitions: false);
        try
        {
            self.Join([seed]);
            var nodes = WaitForNodes(self, nodeCount ?? 1, null, joinTimeout, cancel);
            return new ClusterSession(self, null, nodes);
        }
        catch
        {
            self.Stop(leave: false, TimeSpan.FromSeconds(10));
            self.Dispose();
            throw;
        }
    }

    /// <summary>Runs one spec on the session's nodes.</summary>
    public ClusterRunResult Run(ModelSpec spec, int partitionCount, CancellationToken cancel, RunProgress? progress = null)
    {
        try
        {
            return ClusterEngine.Run(node.System, spec, partitionCount, Nodes, cancel, progress);
        }
        catch
        {
            failed = true;
            throw;
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        // A leave cannot finish while a member is unreachable (it waits for the cluster to agree),
        // so after a lost node nobody waits politely.
        var polite = !failed || node.Cluster.State.Unreachable.Count == 0;
        if (workers is not null)
        {
            workers.Stop(polite ? GracefulStop : FailedStop);
            workers.Dispose();
            // They are gone; without this our own leave would wait for them to be declared down.
            node.Down(Nodes);
            polite = true;
        }

        node.Stop(leave: polite, TimeSpan.FromSeconds(10));
        node.Dispose();
    }

    private static IReadOnlyList<Address> WaitForNodes(ClusterNode self, int nodeCount, LocalWorkers? workers, TimeSpan? joinTimeout, CancellationToken cancel)
    {
        var timeout = joinTimeout ?? ClusterNode.DefaultJoinTimeout(self.System.Settings.Config);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var members = ClusterMembership.WaitForNodesAsync(self.System, nodeCount, timeout, stop.Token);
        var exited = workers?.UnexpectedExit ?? Task.FromResult(string.Empty);
        var first = Task.WhenAny(members, workers is null ? members : exited).GetAwaiter().GetResult();
        if (first != members)
        {
            stop.Cancel();
            throw new SimulationFailedException($"a node stopped before the cluster formed: {exited.GetAwaiter().GetResult()}");
        }

        try
        {
            return members.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new SimulationFailedException("interrupted while waiting for the cluster's nodes");
        }
    }
}
