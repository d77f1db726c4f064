using Akka.Actor;
using AkkaCluster = Akka.Cluster.Cluster;
using ClusterEvent = Akka.Cluster.ClusterEvent;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Fails a run as soon as a node that hosts one of its partitions is lost: marked unreachable by
/// the cluster's failure detector (hocon/cluster.conf), leaving, downed or removed. Akka's remote
/// death watch would only report the partitions' actors once the node is removed, which waits
/// for the split-brain resolver; this reports at unreachability, well inside the 30 s a run may
/// take to fail. Other members (a node that joined after the run started) are ignored. Stops
/// with the coordinator.
/// </summary>
public sealed class RunNodeWatcher : ReceiveActor
{
    private readonly IActorRef coordinator;
    private readonly IReadOnlyDictionary<Address, string> partitionsOfNode;

    public RunNodeWatcher(IActorRef coordinator, IReadOnlyDictionary<Address, string> partitionsOfNode)
    {
        this.coordinator = coordinator;
        this.partitionsOfNode = partitionsOfNode;
        Receive<ClusterEvent.UnreachableMember>(e => Lost(e.Member.Address, "became unreachable (no heartbeats)"));
        Receive<ClusterEvent.MemberLeft>(e => Lost(e.Member.Address, "left the cluster"));
        Receive<ClusterEvent.MemberExited>(e => Lost(e.Member.Address, "left the cluster"));
        Receive<ClusterEvent.MemberDowned>(e => Lost(e.Member.Address, "was downed"));
        Receive<ClusterEvent.MemberRemoved>(e => Lost(e.Member.Address, "was removed from the cluster"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    /// <param name="partitionsOfNode">Each node of the run → the partitions it hosts, as text for the error.</param>
    public static Props Props(IActorRef coordinator, IReadOnlyDictionary<Address, string> partitionsOfNode) =>
        Akka.Actor.Props.Create(() => new RunNodeWatcher(coordinator, partitionsOfNode));

    protected override void PreStart()
    {
        Context.Watch(coordinator);
        AkkaCluster.Get(Context.System).Subscribe(
            Self,
            ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent),
            typeof(ClusterEvent.UnreachableMember));
    }

    protected override void PostStop() => AkkaCluster.Get(Context.System).Unsubscribe(Self);

    private void Lost(Address node, string what)
    {
        if (partitionsOfNode.TryGetValue(node, out var partitions))
        {
            coordinator.Tell(new RunInterrupted($"node {node} (partitions {partitions}) {what}"));
        }
    }
}
