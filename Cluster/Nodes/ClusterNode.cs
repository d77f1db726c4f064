using Akka.Actor;
using Akka.Cluster;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Settings;
using H2Sim.Core.Input;
using AkkaCluster = Akka.Cluster.Cluster;

namespace H2Sim.Cluster.Nodes;

/// <summary>
/// One process's membership of an h2sim cluster: an ActorSystem named h2sim with Akka.Cluster
/// (hocon/cluster.conf) and, on members with role <c>node</c>, the <see cref="NodeHostActor"/>
/// that hosts partitions. Used by `h2sim node`, by a launcher (`--nodes`, `--cluster`) and by
/// tests, which start several in one process.
/// </summary>
public sealed class ClusterNode : IDisposable
{
    private ClusterNode(ActorSystem system, bool hostsPartitions)
    {
        System = system;
        HostsPartitions = hostsPartitions;
        Cluster = AkkaCluster.Get(system);
    }

    public ActorSystem System { get; }

    public AkkaCluster Cluster { get; }

    public bool HostsPartitions { get; }

    /// <summary>Where this node listens: akka.tcp://h2sim@host:port.</summary>
    public Address Address => Cluster.SelfAddress;

    /// <summary>"host:port", the form --seed-node takes.</summary>
    public string HostPort => $"{Address.Host}:{Address.Port}";

    /// <summary>Starts the ActorSystem (listening on <paramref name="port"/>; 0 picks a free port). It joins nothing yet.</summary>
    /// <param name="hostsPartitions">Role <c>node</c> (hosts partitions) or only <c>coordinator</c>.</param>
    /// <param name="overrides">HOCON over hocon/cluster.conf (tests).</param>
    /// <param name="publicAddress">Where other nodes reach this one, when not where it listens (`node --public-address`).</param>
    /// <param name="models">The models this node builds partitions of and merges reports with.</param>
    public static ClusterNode Start(string hostname, int port, ModelCatalog models, bool hostsPartitions = true, string? overrides = null, Address? publicAddress = null)
    {
        var role = hostsPartitions ? ClusterConfig.NodeRole : ClusterConfig.CoordinatorRole;
        var config = ClusterConfig.Build(hostname, port, [role], overrides, publicAddress);
        CheckPortFree(hostname, port);
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(ClusterConfig.SystemName, config);
        }
        catch (AggregateException e) when (Innermost(e) is global::System.Net.Sockets.SocketException socket)
        {
            throw new InputException($"cannot listen on {hostname}:{port}: {socket.Message}");
        }

        ModelCatalog.Install(system, models);
        if (hostsPartitions)
        {
            system.ActorOf(NodeHostActor.Props(), NodeHostActor.Name);
        }

        return new ClusterNode(system, hostsPartitions);
    }

    /// <summary>Joins the cluster of <paramref name="seeds"/>; with none, this node starts a new cluster.</summary>
    public void Join(IReadOnlyList<Address> seeds)
    {
        if (seeds.Count == 0)
        {
            Cluster.Join(Address);
        }
        else
        {
            Cluster.JoinSeedNodes(seeds);
        }
    }

    /// <summary>Completes when this node is Up (a member the leader has admitted).</summary>
    public Task WhenUp()
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.RegisterOnMemberUp(() => up.TrySetResult());
        return up.Task;
    }

    /// <summary>
    /// Stops this node. With <paramref name="leave"/> it first leaves the cluster (Akka's
    /// coordinated shutdown), which cannot finish while another member is unreachable: after
    /// <paramref name="timeout"/> it stops anyway. Without, it stops at once, and the other members
    /// see it become unreachable (hocon/cluster.conf: terminating the ActorSystem does not leave).
    /// </summary>
    public void Stop(bool leave, TimeSpan timeout)
    {
        if (leave)
        {
            CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
            if (System.WhenTerminated.Wait(timeout))
            {
                return;
            }
        }

        System.Terminate().Wait(timeout);
    }

    /// <summary>Marks members this process knows are gone (it stopped them) as down, so leaving does not wait for them.</summary>
    public void Down(IEnumerable<Address> gone)
    {
        foreach (var address in gone.Where(a => a != Address))
        {
            Cluster.Down(address);
        }
    }

    public void Dispose()
    {
        if (!System.WhenTerminated.IsCompleted)
        {
            Stop(leave: true, TimeSpan.FromSeconds(10));
        }

        System.Dispose();
    }

    /// <summary>How long a process waits to be admitted to a cluster and for its nodes (h2sim.cluster.join-timeout).</summary>
    public static TimeSpan DefaultJoinTimeout(Akka.Configuration.Config config) =>
        ClusterMembershipSettings.From(config).JoinTimeout;

    /// <summary>
    /// Refuses a port another process holds before Akka tries it: Akka would log its own error
    /// line as well as failing, and a port in use is one line (exit 2).
    /// </summary>
    private static void CheckPortFree(string hostname, int port)
    {
        if (port == 0 || !global::System.Net.IPAddress.TryParse(hostname, out var address))
        {
            return;
        }

        try
        {
            var probe = new global::System.Net.Sockets.TcpListener(address, port);
            probe.Server.SetSocketOption(global::System.Net.Sockets.SocketOptionLevel.Socket, global::System.Net.Sockets.SocketOptionName.ReuseAddress, false);
            probe.Start();
            probe.Stop();
        }
        catch (global::System.Net.Sockets.SocketException socket)
        {
            throw new InputException($"cannot listen on {hostname}:{port}: {socket.Message}");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    /// <summary>Whether the cluster downed this node (rather than it leaving by itself).</summary>
    public bool WasDowned => CoordinatedShutdown.Get(System).ShutdownReason is CoordinatedShutdown.ClusterDowningReason;
}
