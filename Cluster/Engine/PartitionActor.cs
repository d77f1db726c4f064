using Akka.Actor;
using Google.Protobuf;
using H2Sim.Core.Events;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Window;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// One partition as one Akka actor (architecture.md §5). It owns a <see cref="PartitionRuntime"/>
/// and speaks only protobuf messages: setup, window advances, batches to and from its peers,
/// done reports and the final digests. A window runs only once every batch the coordinator says
/// was sent to it in the previous window has arrived. A window's events for one destination
/// travel as one batch, cut into chunks of at most <c>h2sim.engine.max-events-per-batch</c>
/// events (each chunk counts as a batch), so no message outgrows a remote frame.
/// </summary>
public sealed class PartitionActor : ReceiveActor
{
    private readonly Dictionary<ulong, uint> batchesReceivedByWindow = new();

    /// <summary>
    /// Batches that arrived before this partition's own setup: a peer that was set up first sends
    /// its window-0 batch at once, and nothing orders it after the coordinator's setup message
    /// (on a cluster the two even come from different nodes).
    /// </summary>
    private readonly List<EventBatch> batchesBeforeSetup = [];
    private readonly int maxEventsPerBatch;
    private PartitionRuntime? runtime;
    private IActorRef[] peers = [];
    private IActorRef coordinator = ActorRefs.Nobody;
    private WindowAdvance? pendingAdvance;
    private ulong runId;

    public PartitionActor()
    {
        maxEventsPerBatch = MaxEventsPerBatch(Context.System.Settings.Config);
        Receive<PartitionSetup>(OnSetup);
        Receive<EventBatch>(OnBatch);
        Receive<WindowAdvance>(OnAdvance);
        Receive<RunFinish>(OnFinish);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new PartitionActor());

    public static int MaxEventsPerBatch(Akka.Configuration.Config config)
    {
        var value = config.GetInt("h2sim.engine.max-events-per-batch", 16384);
        return value >= 1 ? value : throw new ArgumentException($"h2sim.engine.max-events-per-batch must be at least 1, got {value}");
    }

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
            ready.NextEventCycles = runtime.NextEventCycles;
            coordinator.Tell(ready);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            coordinator.Tell(new PartitionReady { RunId = runId, Partition = setup.Partition, Error = e.Message });
            return;
        }

        // Batches that overtook this setup waited; they count now.
        foreach (var early in batchesBeforeSetup)
        {
            OnBatch(early);
        }

        batchesBeforeSetup.Clear();
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

    /// <summary>
    /// Sends each destination with events buffered its batch, in chunks, and records how many
    /// messages each got (the count the destination waits for before its next window).
    /// </summary>
    private void SendBatches(ulong window, ICollection<uint> batchesSent)
    {
        for (var destination = 0; destination < peers.Length; destination++)
        {
            uint sent = 0;
            if (runtime!.HasBatchFor(destination))
            {
                var batch = runtime.TakeBatch(destination, runId, window);
                if (batch.Count <= maxEventsPerBatch)
                {
                    peers[destination].Tell(batch);
                    sent = 1;
                }
                else
                {
                    sent = SendInChunks(peers[destination], batch);
                }
            }

            batchesSent.Add(sent);
        }
    }

    /// <summary>Cuts one encoded batch into slices of the same bytes (no copy) and sends each.</summary>
    private uint SendInChunks(IActorRef destination, EventBatch batch)
    {
        var bytes = batch.Events.Memory;
        uint chunks = 0;
        for (var first = 0; first < (int)batch.Count; first += maxEventsPerBatch)
        {
            var count = Math.Min(maxEventsPerBatch, (int)batch.Count - first);
            destination.Tell(new EventBatch
            {
                RunId = batch.RunId,
                Window = batch.Window,
                SourcePartition = batch.SourcePartition,
                Count = (uint)count,
                Events = UnsafeByteOperations.UnsafeWrap(bytes.Slice(first * EventCodec.EncodedSize, count * EventCodec.EncodedSize)),
            });
            chunks++;
        }

        return chunks;
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
