using Akka.Actor;
using Akka.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;

namespace H2Sim.Cluster.Engine;

/// <summary>What this process sees of the cluster's members, and waiting until enough are Up.</summary>
public static class ClusterMembership
{
    /// <summary>Members with role <c>node</c> that are Up and reachable now, in placement order.</summary>
    public static IReadOnlyList<Address> UpNodes(ActorSystem system)
    {
        var state = AkkaCluster.Get(system).State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return NodePlacement.Order(state.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(ClusterConfig.NodeRole) && !unreachable.Contains(m.Address))
            .Select(m => m.Address));
    }

    /// <summary>
    /// Completes once this process is Up and at least <paramref name="nodeCount"/> nodes are Up
    /// and reachable, with every such node (placement order); fails after <paramref name="timeout"/>
    /// saying who did make it.
    /// </summary>
    public static async Task<IReadOnlyList<Address>> WaitForNodesAsync(ActorSystem system, int nodeCount, TimeSpan timeout, CancellationToken cancel)
    {
        var ready = new TaskCompletionSource<IReadOnlyList<Address>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = system.ActorOf(Akka.Actor.Props.Create(() => new Waiter(nodeCount, ready)));
        try
        {
            return await ready.Task.WaitAsync(timeout, cancel).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (AkkaCluster.Get(system).SelfMember.Status != MemberStatus.Up)
            {
                throw new SimulationFailedException($"could not join the cluster within {timeout.TotalSeconds:0}s: no member admitted this process (is an h2sim node listening at the seed?)");
            }

            var up = UpNodes(system);
            throw new SimulationFailedException(
                $"only {up.Count} of {nodeCount} nodes were up after {timeout.TotalSeconds:0}s ({(up.Count == 0 ? "none" : string.Join(", ", up))})");
        }
        finally
        {
            system.Stop(waiter);
        }
    }

    /// <summary>Re-checks membership on every cluster event and, as a backstop, every 250 ms.</summary>
    private sealed class Waiter : ReceiveActor, IWithTimers
    {
        private readonly int nodeCount;
        private readonly TaskCompletionSource<IReadOnlyList<Address>> ready;

        public Waiter(int nodeCount, TaskCompletionSource<IReadOnlyList<Address>> ready)
        {
            this.nodeCount = nodeCount;
            this.ready = ready;
            ReceiveAny(_ => Check());
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IClusterDomainEvent));
            Timers.StartPeriodicTimer("check", Tick.Instance, TimeSpan.FromMilliseconds(250));
        }

        protected override void PostStop() => AkkaCluster.Get(Context.System).Unsubscribe(Self);

        private void Check()
        {
            if (AkkaCluster.Get(Context.System).SelfMember.Status != MemberStatus.Up)
            {
                return;
            }

            var up = UpNodes(Context.System);
            if (up.Count >= nodeCount)
            {
                ready.TrySetResult(up);
                Context.Stop(Self);
            }
        }

        private sealed class Tick : INoSerializationVerificationNeeded
        {
            public static readonly Tick Instance = new();
        }
    }
}
