using Akka.Actor;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Nodes;
using H2Sim.Core.Events;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Cluster;

/// <summary>
/// A real h2sim cluster inside the test process: ActorSystems on 127.0.0.1, each on a free port
/// (port 0), talking over Akka.Remote exactly as separate processes do. Node 0 starts the cluster
/// and runs the coordinator.
/// </summary>
public sealed class TestCluster : IDisposable
{
    /// <summary>Generous: a loaded 2-core machine forms a cluster in seconds, not this.</summary>
    public static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(60);

    private readonly string? overrides;

    private TestCluster(string? overrides) => this.overrides = overrides;

    public List<ClusterNode> Nodes { get; } = new();

    public ClusterNode First => Nodes[0];

    public IReadOnlyList<Address> Addresses => Nodes.Select(n => n.Address).ToList();

    public static async Task<TestCluster> StartAsync(int nodeCount, string? overrides = null)
    {
        var cluster = new TestCluster(overrides);
        try
        {
            for (var i = 0; i < nodeCount; i++)
            {
                cluster.Nodes.Add(ClusterNode.Start("127.0.0.1", 0, TestModels.Catalog, overrides: overrides));
            }

            var ups = cluster.Nodes.Select(n => n.WhenUp()).ToList();
            cluster.First.Join([]);
            foreach (var node in cluster.Nodes.Skip(1))
            {
                node.Join([cluster.First.Address]);
            }

            await Task.WhenAll(ups).WaitAsync(FormTimeout);
            await ClusterMembership.WaitForNodesAsync(cluster.First.System, nodeCount, FormTimeout, CancellationToken.None);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Starts one more node and waits until it is Up.</summary>
    public async Task<ClusterNode> JoinAnotherAsync()
    {
        var node = ClusterNode.Start("127.0.0.1", 0, TestModels.Catalog, overrides: overrides);
        Nodes.Add(node);
        var up = node.WhenUp();
        node.Join([First.Address]);
        await up.WaitAsync(FormTimeout);
        return node;
    }

    /// <summary>Stops every node at once (no leave: the test is over, and a node may be dead).</summary>
    public void Dispose()
    {
        Parallel.ForEach(Nodes, node =>
        {
            node.Stop(leave: false, TimeSpan.FromSeconds(10));
            node.Dispose();
        });
    }
}

/// <summary>
/// Serializes <see cref="IModelFactory.Create"/>: with several ActorSystems in one process, the
/// partitions of a run are built at the same time on different nodes, and a factory shared in
/// memory (a test's <c>H2SystemFactory</c> keeps what it built in a plain dictionary) must not
/// be entered concurrently. Separate processes each build their own.
/// </summary>
public sealed class OneAtATimeFactory(IModelFactory inner) : IModelFactory
{
    private readonly Lock gate = new();

    public ModelTopology Topology(ModelSpec spec) => inner.Topology(spec);

    public ISimModel Create(ModelSpec spec, PartitionView view)
    {
        lock (gate)
        {
            return inner.Create(spec, view);
        }
    }

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        inner.Merge(spec, reports, reason, endCycles);
}

/// <summary>
/// Wraps a factory so a test can tell when a run is really under way: <see cref="Running"/>
/// completes once any partition has delivered <paramref name="eventsBeforeSignal"/> events.
/// </summary>
public sealed class RunningSignalFactory(IModelFactory inner, ulong eventsBeforeSignal) : IModelFactory
{
    private readonly TaskCompletionSource running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Running => running.Task;

    private ulong EventsBeforeSignal => eventsBeforeSignal;

    public ModelTopology Topology(ModelSpec spec) => inner.Topology(spec);

    public ISimModel Create(ModelSpec spec, PartitionView view) => new Model(inner.Create(spec, view), this);

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        inner.Merge(spec, reports, reason, endCycles);

    private sealed class Model(ISimModel inner, RunningSignalFactory owner) : ISimModel
    {
        private ulong delivered;

        public bool StopRequested => inner.StopRequested;

        public void Start(IEventSink sink) => inner.Start(sink);

        public void Deliver(in SimEvent ev, IEventSink sink)
        {
            if (++delivered == owner.EventsBeforeSignal)
            {
                owner.running.TrySetResult();
            }

            inner.Deliver(ev, sink);
        }

        public ModelReport Finish(RunEndReason reason, ulong endCycles) => inner.Finish(reason, endCycles);
    }
}

/// <summary>Cluster tests start real remoting and time failure detection: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
