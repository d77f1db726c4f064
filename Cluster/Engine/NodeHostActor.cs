using Akka.Actor;
using Akka.Event;
using H2Sim.Cluster.Settings;
using H2Sim.Protocol.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;
using ClusterEvent = Akka.Cluster.ClusterEvent;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// The actor at /user/h2sim-node on every member with role <c>node</c>: it creates a run's
/// partition actors on request (<see cref="DeployPartitions"/>) and stops them when the run is
/// released — or when the node that asked for them leaves the cluster or becomes unreachable, so
/// a long-lived node never keeps an abandoned run. Speaks only protobuf messages
/// (Protocol/Protos/cluster.proto); no remote deployment, so no Props cross the wire. An exception
/// while deploying is answered as the deployment's error (the run fails at once, naming this
/// node), never left to a restart that would lose the runs it hosts.
/// </summary>
public sealed class NodeHostActor : ReceiveActor
{
    public const string Name = "h2sim-node";

    private readonly Dictionary<ulong, HostedRun> runs = new();
    private readonly Address selfAddress;
    private readonly string partitionDispatcher;
    private ulong partitionsDeployedTotal;

    public NodeHostActor()
    {
        selfAddress = AkkaCluster.Get(Context.System).SelfAddress;
        partitionDispatcher = EngineSettings.From(Context.System.Settings.Config).PartitionDispatcher;
        Receive<DeployPartitions>(OnDeploy);
        Receive<ReleaseRun>(release => Release(release.RunId));
        Receive<NodeStatusRequest>(request => Sender.Tell(Status(request.RequestId)));
        Receive<ClusterEvent.UnreachableMember>(e => ReleaseRunsOf(e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e => ReleaseRunsOf(e.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new NodeHostActor());

    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e)
        {
            var what = $"node host {selfAddress}: {e.GetType().Name}: {e.Message}";
            if (message is DeployPartitions deploy)
            {
                Sender.Tell(new PartitionsDeployed { RunId = deploy.RunId, Node = selfAddress.ToString(), Error = what });
            }
            else
            {
                Context.GetLogger().Error(what);
            }

            return true;
        }
    }

    protected override void PreStart() =>
        AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.UnreachableMember));

    protected override void PostStop() => AkkaCluster.Get(Context.System).Unsubscribe(Self);

    private void OnDeploy(DeployPartitions deploy)
    {
        var reply = new PartitionsDeployed { RunId = deploy.RunId, Node = selfAddress.ToString() };
        if (runs.ContainsKey(deploy.RunId))
        {
            reply.Error = $"node {selfAddress} already hosts run {deploy.RunId:x16}";
            Sender.Tell(reply);
            return;
        }

        var requester = Sender.Path.Address;
        var actors = new List<IActorRef>(deploy.Partitions.Count);
        foreach (var partition in deploy.Partitions)
        {
            var actor = Context.ActorOf(PartitionActor.Props().WithDispatcher(partitionDispatcher), $"run{deploy.RunId:x16}-partition{partition}");
            actors.Add(actor);
            reply.Partitions.Add(partition);
            reply.PartitionPaths.Add(Akka.Serialization.Serialization.SerializedActorPath(actor));
        }

        partitionsDeployedTotal += (ulong)actors.Count;
        // A requester in this process has no host in its path; it cannot be lost without us.
        runs[deploy.RunId] = new HostedRun(requester.HasGlobalScope ? requester : selfAddress, actors);
        Sender.Tell(reply);
    }

    private void ReleaseRunsOf(Address lost)
    {
        if (lost == selfAddress)
        {
            return;
        }

        foreach (var runId in runs.Where(r => r.Value.Requester == lost).Select(r => r.Key).ToList())
        {
            Release(runId);
        }
    }

    private void Release(ulong runId)
    {
        if (!runs.Remove(runId, out var run))
        {
            return;
        }

        foreach (var actor in run.Partitions)
        {
            Context.Stop(actor);
        }
    }

    private NodeStatus Status(ulong requestId)
    {
        var status = new NodeStatus { Node = selfAddress.ToString(), PartitionsDeployedTotal = partitionsDeployedTotal, RequestId = requestId };
        status.ActiveRuns.AddRange(runs.Keys.Order());
        return status;
    }

    private sealed record HostedRun(Address Requester, IReadOnlyList<IActorRef> Partitions);
}
