using System.Diagnostics;
using Akka.Actor;
using Google.Protobuf;
using H2Sim.Core.Events;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Run;
using H2Sim.Protocol.Window;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// One partition as one Akka actor (architecture.md §5). It owns a <see cref="PartitionRuntime"/>
/// and speaks only protobuf messages: setup, the first window's advance, batches to and from its
/// peers, done reports and the final digests. At the end of a window it sends its batches, then
/// its <see cref="WindowDone"/> to the coordinator and to every partition (itself included).
/// Once it holds every partition's report for the window it applies <see cref="WindowSchedule"/>
/// to them — as every other partition and the coordinator do to the same reports — and runs the
/// next window as soon as every batch those reports say was sent to it has arrived. So a window
/// boundary costs one message hop between partitions, not a round trip through the coordinator,
/// which only starts the first window, watches the rest and ends the run. A window's events for
/// one destination travel as one batch, cut into chunks of at most
/// <c>h2sim.engine.max-events-per-batch</c> events (each chunk counts as a batch), so no message
/// outgrows a remote frame. Any exception while it handles a message ends the run at once: it
/// tells the coordinator (<see cref="RunAbort"/>: the partition, its node and the window; the
/// scenario's own errors as input errors) and ignores everything after, instead of being
/// restarted empty by Akka's default supervision while the run waits for it.
/// </summary>
public sealed class PartitionActor : ReceiveActor
{
    /// <summary>Events a lone partition runs between two reports (about ten milliseconds of the kernel model).</summary>
    private const ulong MacroWindowEvents = 16384;

    private readonly Dictionary<ulong, uint> batchesReceivedByWindow = new();

    /// <summary>Reports per window; a fast peer's report for the next window can come before a slow one's for this.</summary>
    private readonly Dictionary<ulong, WindowTally> reportsByWindow = new();

    /// <summary>
    /// Batches that arrived before this partition's own setup: a peer that was set up first sends
    /// its window-0 batch at once, and nothing orders it after the coordinator's setup message
    /// (on a cluster the two even come from different nodes).
    /// </summary>
    private readonly List<EventBatch> batchesBeforeSetup = [];
    private readonly int maxEventsPerBatch;
    private PartitionRuntime? runtime;
    private WindowSchedule? schedule;
    private IActorRef[] peers = [];
    private IActorRef coordinator = ActorRefs.Nobody;
    private PendingWindow? pendingWindow;

    /// <summary>The last window this partition ran (0 before the first).</summary>
    private ulong lastWindow;
    private ulong runId;

    /// <summary>Wall-clock ticks between reporting a window and starting the next: the barrier's cost (reported, never simulated).</summary>
    private long barrierWaitTicks;
    private long reportedAt;

    public PartitionActor()
    {
        maxEventsPerBatch = MaxEventsPerBatch(Context.System.Settings.Config);
        Receive<PartitionSetup>(OnSetup);
        Receive<EventBatch>(OnBatch);
        Receive<WindowAdvance>(OnAdvance);
        Receive<WindowDone>(OnDone);
        Receive<RunFinish>(OnFinish);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new PartitionActor());

    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e)
        {
            // Inert from now on rather than stopped, so the coordinator's death watch cannot
            // report a bare "stopped" before the abort that says why; the engine stops it.
            Abort(e);
            Become(() => ReceiveAny(_ => { }));
            return true;
        }
    }

    /// <summary>Tells the coordinator this partition failed: what, where (partition, node, window).</summary>
    private void Abort(Exception e)
    {
        var partition = runtime is null ? "partition ?" : $"partition {runtime.Partition}";
        var node = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
        var where = node.HasGlobalScope ? $"{partition} on node {node}" : partition;
        var window = pendingWindow?.Window ?? lastWindow;
        where += window == 0 ? ", window 0 (setup)" : $", window {window}";
        var inputError = RunFailedException.IsInputError(e);
        coordinator.Tell(new RunAbort
        {
            RunId = runId,
            Reason = inputError ? $"{e.Message} ({where})" : RunFailedException.Describe(where, e),
            InputError = inputError,
        });
    }

    public static int MaxEventsPerBatch(Akka.Configuration.Config config) => Settings.EngineSettings.From(config).MaxEventsPerBatch;

    private void OnSetup(PartitionSetup setup)
    {
        runId = setup.RunId;
        var provider = ((ExtendedActorSystem)Context.System).Provider;
        coordinator = provider.ResolveActorRef(setup.CoordinatorPath);
        peers = setup.PartitionPaths.Select(provider.ResolveActorRef).ToArray();
        var factory = ModelCatalog.Of(Context.System).For(setup.Spec.Model);
        runtime = new PartitionRuntime(setup.Spec, factory, (int)setup.Partition, (int)setup.PartitionCount);
        schedule = new WindowSchedule(setup.Spec.LookaheadCycles, setup.Spec.HorizonCycles);
        var ready = new PartitionReady { RunId = runId, Partition = setup.Partition, MinSentCycles = runtime.Start() };
        SendBatches(0, ready.BatchesSent);
        ready.NextEventCycles = runtime.NextEventCycles;
        coordinator.Tell(ready);
        reportedAt = Stopwatch.GetTimestamp();

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

    /// <summary>The coordinator starts the first window; the partitions advance the rest themselves.</summary>
    private void OnAdvance(WindowAdvance advance)
    {
        if (advance.RunId != runId)
        {
            return;
        }

        pendingWindow = new PendingWindow(advance.Window, advance.EndCycles, advance.ExpectedBatches);
        TryRunPending();
    }

    /// <summary>A partition's report (a peer's, or this partition's own by way of its mailbox).</summary>
    private void OnDone(WindowDone done)
    {
        if (done.RunId != runId || runtime is null || done.Window < lastWindow)
        {
            return;
        }

        if (!reportsByWindow.TryGetValue(done.Window, out var tally))
        {
            tally = new WindowTally(runtime.PartitionCount);
            reportsByWindow[done.Window] = tally;
        }

        tally.Add(done);
        TryStartNextWindow();
    }

    /// <summary>
    /// Once every partition has reported the last window, decides the next one exactly as the
    /// coordinator does. At the end of the run there is none: the partition waits for RunFinish.
    /// </summary>
    private void TryStartNextWindow()
    {
        if (pendingWindow is not null || !reportsByWindow.TryGetValue(lastWindow, out var tally) || !tally.Complete)
        {
            return;
        }

        reportsByWindow.Remove(lastWindow);
        var decision = schedule!.Next(tally.EarliestPendingCycles, tally.StopRequested);
        if (decision.IsEnd)
        {
            return;
        }

        pendingWindow = new PendingWindow(lastWindow + 1, decision.EndCycles, tally.BatchesFor(runtime!.Partition));
        TryRunPending();
    }

    private void TryRunPending()
    {
        if (pendingWindow is not { } next || runtime is null)
        {
            return;
        }

        // Batches tagged with the previous window carry this window's inputs.
        var previous = next.Window - 1;
        if (batchesReceivedByWindow.GetValueOrDefault(previous) < next.ExpectedBatches)
        {
            return;
        }

        batchesReceivedByWindow.Remove(previous);
        pendingWindow = null;
        barrierWaitTicks += Stopwatch.GetTimestamp() - reportedAt;
        var result = RunWindows(next.Window, next.EndCycles);

        var done = new WindowDone
        {
            RunId = runId,
            Window = lastWindow,
            FirstWindow = next.Window,
            Partition = (uint)runtime.Partition,
            NextEventCycles = result.NextEventCycles,
            MinSentCycles = result.MinSentCycles,
            EventsDelivered = result.EventsDelivered,
            StopRequested = result.StopRequested,
            LastEventCycles = runtime.NowCycles,
        };
        SendBatches(lastWindow, done.BatchesSent);

        // Batches first: a peer that holds this report holds the batches it counts, in the usual
        // case. Own report by way of the mailbox, so one window per message, never a recursion.
        foreach (var peer in peers)
        {
            peer.Tell(done);
        }

        coordinator.Tell(done);
        reportedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Runs <paramref name="window"/>; a partition alone (nothing to exchange, nobody to wait for)
    /// also runs the windows after it, each decided by <see cref="WindowSchedule"/> from its own
    /// report as its mailbox would, up to <see cref="MacroWindowEvents"/> events: the same windows
    /// (so the same trace hash) for one mailbox hop instead of one per window. The result is the
    /// last window's, with the events of all of them.
    /// </summary>
    private WindowResult RunWindows(ulong window, ulong endCycles)
    {
        lastWindow = window;
        var result = runtime!.RunWindow(endCycles);
        var events = result.EventsDelivered;
        while (runtime.PartitionCount == 1 && events < MacroWindowEvents)
        {
            var decision = schedule!.Next(Math.Min(result.NextEventCycles, result.MinSentCycles), result.StopRequested);
            if (decision.IsEnd)
            {
                break;
            }

            lastWindow++;
            result = runtime.RunWindow(decision.EndCycles);
            events += result.EventsDelivered;
        }

        return result with { EventsDelivered = events };
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
            BarrierWaitSeconds = (double)barrierWaitTicks / Stopwatch.Frequency,
        };
        finished.Report = runtime.Model.Finish(reason, finish.EndCycles);
        finished.Digests.AddRange(runtime.Digests());
        Sender.Tell(finished);
    }

    /// <summary>The window to run once its input batches are in.</summary>
    private readonly record struct PendingWindow(ulong Window, ulong EndCycles, uint ExpectedBatches);
}
