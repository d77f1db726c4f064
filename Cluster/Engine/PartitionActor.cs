using Akka.Actor;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Window;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// One partition as one Akka actor (architecture.md §5). It owns a <see cref="PartitionRuntime"/>
/// and speaks only protobuf messages: setup, window advances, batches to and from its peers,
/// done reports and the final digests. A window runs only once every batch the coordinator says
/// was sent to it in the previous window has arrived.
/// </summary>
public sealed class PartitionActor : ReceiveActor
{
    private readonly Dictionary<ulong, uint> batchesReceivedByWindow = new();

    /// <summary>
    /// Batches that arrived before this partition's own setup: a peer that was set up first sends
    /// its window-0 batch at once, and nothing orders it after the coordinator's setup message.
    /// </summary>
    private readonly List<EventBatch> batchesBeforeSetup = [];
    private PartitionRuntime? runtime;
    private IActorRef[] peers = [];
    private IActorRef coordinator = ActorRefs.Nobody;
    private WindowAdvance? pendingAdvance;
    private ulong runId;

    public PartitionActor()
    {
        Receive<PartitionSetup>(OnSetup);
        Receive<EventBatch>(OnBatch);
        Receive<WindowAdvance>(OnAdvance);
        Receive<RunFinish>(OnFinish);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new PartitionActor());

    private void OnSetup(PartitionSetup setup)
    {
        runId = setup.RunId;
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        coordinator = provider.ResolveActorRef(setup.CoordinatorPath);
        try
        {
            peers = setup.PartitionPaths.Select(provider.ResolveActorRef).ToArray();
            var factory = ModelRegistry.For(setup.Spec.Model);
            runtime = new PartitionRuntime(setup.Spec, factory, (int)setup.Partition, (int)setup.PartitionCount);
            var ready = new PartitionReady { RunId = runId, Partition = setup.Partition, MinSentCycles = runtime.Start() };
            SendBatches(0, ready.BatchesSent);
            foreach (var early in batchesBeforeSetup)
            {
                OnBatch(early);
            }

            batchesBeforeSetup.Clear();
            ready.NextEventCycles = runtime.NextEventCycles;
            coordinator.Tell(ready);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            coordinator.Tell(new PartitionReady { RunId = runId, Partition = setup.Partition, Error = e.Message });
        }
    }

    private void OnBatch(EventBatch batch)
    {
        if (runtime is null)
        {
            batchesBeforeSetup.Add(batch);
            return;
        }

        if (batch.RunId != runId)
        {
            return;
        }

        runtime.ReceiveBatch(batch);
        batchesReceivedByWindow[batch.Window] = batchesReceivedByWindow.GetValueOrDefault(batch.Window) + 1;
        TryRunPending();
    }

    private void OnAdvance(WindowAdvance advance)
    {
        if (advance.RunId != runId)
        {
            return;
        }

        pendingAdvance = advance;
        TryRunPending();
    }

    private void TryRunPending()
    {
        if (pendingAdvance is not { } advance || runtime is null)
        {
            return;
        }

        // Batches tagged with the previous window carry this window's inputs.
        var previous = advance.Window - 1;
        if (batchesReceivedByWindow.GetValueOrDefault(previous) < advance.ExpectedBatches)
        {
            return;
        }

        batchesReceivedByWindow.Remove(previous);
        pendingAdvance = null;
        WindowResult result;
        try
        {
            result = runtime.RunWindow(advance.EndCycles);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            coordinator.Tell(new RunAbort { RunId = runId, Reason = $"partition {runtime.Partition}, window {advance.Window}: {e.Message}" });
            return;
        }

        var done = new WindowDone
        {
            RunId = runId,
            Window = advance.Window,
            Partition = (uint)runtime.Partition,
            NextEventCycles = result.NextEventCycles,
            MinSentCycles = result.MinSentCycles,
            EventsDelivered = result.EventsDelivered,
            StopRequested = result.StopRequested,
            LastEventCycles = runtime.NowCycles,
        };
        SendBatches(advance.Window, done.BatchesSent);
        coordinator.Tell(done);
    }

    /// <summary>Sends one batch per destination with events buffered, and records which got one.</summary>
    private void SendBatches(ulong window, ICollection<uint> batchesSent)
    {
        for (var destination = 0; destination < peers.Length; destination++)
        {
            var sent = runtime!.HasBatchFor(destination);
            if (sent)
            {
                peers[destination].Tell(runtime.TakeBatch(destination, runId, window));
            }

            batchesSent.Add(sent ? 1u : 0u);
        }
    }

    private void OnFinish(RunFinish finish)
    {
        if (finish.RunId != runId || runtime is null)
        {
            return;
        }

        var reason = Enum.Parse<RunEndReason>(finish.Reason, ignoreCase: true);
        var finished = new PartitionFinished
        {
            RunId = runId,
            Partition = (uint)runtime.Partition,
            EventsDelivered = runtime.EventsDelivered,
        };
        try
        {
            finished.Report = runtime.Model.Finish(reason, finish.EndCycles);
            finished.Digests.AddRange(runtime.Digests());
        }
        catch (InvalidOperationException e)
        {
            finished.Error = e.Message;
        }

        Sender.Tell(finished);
    }
}
