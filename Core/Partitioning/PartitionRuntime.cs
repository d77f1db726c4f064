using Google.Protobuf;
using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Trace;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Window;

namespace H2Sim.Core.Partitioning;

/// <summary>
/// One partition's event loop (architecture.md §5): one event queue; a send to an actor of
/// this partition is an enqueue, a send elsewhere is buffered for that partition's batch. Runs a
/// window at a time. The per-event path (<see cref="RunWindow"/>, <see cref="Send"/>) allocates
/// nothing; batches are encoded once per window.
/// </summary>
public sealed class PartitionRuntime : IEventSink
{
    // A queue's first size, from the model's hint: at least small (a run of a few threads, as exploration
    // makes thousands of, stays off the large-object heap), at most 64 Ki slots (it still doubles).
    private const long MinQueueSlots = 256;
    private const long MaxInitialQueueSlots = 1 << 16;

    private readonly EventQueue queue;
    private readonly int[] partitionOfActor;
    private readonly int[] groupOfActor;
    private readonly ulong[] nextSequence;
    private readonly ActorTrace[] traces;
    private readonly OutgoingBuffer[] outgoing;
    private readonly ulong lookaheadCycles;
    private readonly FaultInjector? faults;
    private readonly Dictionary<(uint Source, uint Target), Queue<SimEvent>> heldForReorder = new();
    private ulong nowCycles;
    private ulong minSentCycles = ulong.MaxValue;

    public PartitionRuntime(ModelSpec spec, IModelFactory factory, int partition, int partitionCount)
    {
        if (partitionCount < 1 || partition < 0 || partition >= partitionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), $"partition {partition} of {partitionCount}");
        }

        Partition = partition;
        PartitionCount = partitionCount;
        lookaheadCycles = spec.LookaheadCycles;
        var topology = factory.Topology(spec);
        partitionOfActor = Placement.PartitionOfEveryActor(topology, partitionCount);
        groupOfActor = new int[topology.ActorCount];
        for (uint actor = 0; actor < topology.ActorCount; actor++)
        {
            groupOfActor[actor] = topology.GroupOfActor(actor);
        }

        queue = new EventQueue((int)Math.Clamp(topology.PendingEventsHint / partitionCount, MinQueueSlots, MaxInitialQueueSlots));
        nextSequence = new ulong[topology.ActorCount];
        traces = new ActorTrace[topology.ActorCount];
        outgoing = new OutgoingBuffer[partitionCount];
        for (var p = 0; p < partitionCount; p++)
        {
            outgoing[p] = new OutgoingBuffer();
        }

        View = new PartitionView(partition, partitionCount, topology, partitionOfActor);
        Model = factory.Create(spec, View);
        if (spec.Faults is { Rules.Count: > 0 } plan && factory is IFaultClassifier classifier)
        {
            faults = new FaultInjector(plan, classifier, spec.Seed);
        }
    }

    public int Partition { get; }

    public int PartitionCount { get; }

    public PartitionView View { get; }

    public ISimModel Model { get; }

    /// <summary>Optional observer of every delivered event (recording, timelines); null on the fast path.</summary>
    public IDeliveryObserver? Observer { get; set; }

    /// <summary>Optional observer of every message sent (timelines draw flows from it); null on the fast path.</summary>
    public ISendObserver? SendObserver { get; set; }

    public ulong NowCycles => nowCycles;

    public ulong EventsDelivered { get; private set; }

    /// <summary>Earliest pending event in this partition, or <see cref="ulong.MaxValue"/>.</summary>
    public ulong NextEventCycles => queue.PeekTime;

    public int PendingEvents => queue.Count;

    /// <summary>
    /// Schedules the model's initial events. Setup counts as window 0: initial events for other
    /// partitions wait in the batches like any window's; returns their earliest time.
    /// </summary>
    public ulong Start()
    {
        minSentCycles = ulong.MaxValue;
        Model.Start(this);
        return minSentCycles;
    }

    /// <summary>Delivers, in key order, every local event with time &lt; <paramref name="endCycles"/>.</summary>
    public WindowResult RunWindow(ulong endCycles)
    {
        minSentCycles = ulong.MaxValue;
        ulong count = 0;
        var model = Model;
        while (queue.PeekTime < endCycles)
        {
            var ev = queue.Pop();
            if (faults is not null && (ev.Kind & EngineEventKinds.ReorderFlag) != 0 && ev.Kind >= 0)
            {
                HoldForReorder(ev);
                continue;
            }

            count += DeliverOne(ev, model);
            if (faults is not null && heldForReorder.Count > 0)
            {
                count += ReleaseHeld(ev, model);
            }
        }

        EventsDelivered += count;
        return new WindowResult(queue.PeekTime, minSentCycles, count, model.StopRequested);
    }

    /// <summary>Hashes, observes and hands one event to the model (engine events stop at the hash).</summary>
    private ulong DeliverOne(in SimEvent ev, ISimModel model)
    {
        nowCycles = ev.Time;
        ref var trace = ref traces[ev.Target];
        trace.Chain = TraceDigest.Chain(trace.Chain, ev);
        trace.Delivered++;
        Observer?.OnDelivered(Partition, ev);
        if (ev.Kind >= 0)
        {
            model.Deliver(ev, this);
        }

        return 1;
    }

    public void Send(uint source, uint target, ulong delayCycles, int kind, long a = 0, long b = 0, long c = 0) =>
        SendTracked(source, target, delayCycles, kind, a, b, c);

    public SentMessage SendTracked(uint source, uint target, ulong delayCycles, int kind, long a = 0, long b = 0, long c = 0)
    {
        // Delay first: a send at or past the lookahead needs no group lookups.
        if (delayCycles < lookaheadCycles && groupOfActor[source] != groupOfActor[target])
        {
            throw new InvalidOperationException(
                $"message {source}->{target} crosses placement groups with delay {delayCycles} < lookahead {lookaheadCycles}");
        }

        var ev = new SimEvent(nowCycles + delayCycles, target, source, nextSequence[source]++, kind, a, b, c);
        SendObserver?.OnSent(Partition, nowCycles, ev);
        var fault = faults is null ? FaultAction.None : ApplyFault(ref ev);
        if (fault != FaultAction.Drop)
        {
            Route(ev);
        }

        return new SentMessage(ev.Sequence, fault);
    }

    /// <summary>Local targets are an enqueue; others wait in the batch for their partition.</summary>
    private void Route(in SimEvent ev)
    {
        var destination = partitionOfActor[ev.Target];
        if (destination == Partition)
        {
            queue.Push(ev);
            return;
        }

        outgoing[destination].Add(ev);
        if (ev.Time < minSentCycles)
        {
            minSentCycles = ev.Time;
        }
    }

    /// <summary>
    /// Applies the fault plan to a message being sent. Each fault is also a trace event (a
    /// FaultInjected message to the target at the message's time), so the hash covers it. Returns
    /// the action taken (Drop: the caller does not route the message).
    /// </summary>
    private FaultAction ApplyFault(ref SimEvent ev)
    {
        var (action, delay) = faults!.Decide(ev, nowCycles);
        if (action == FaultAction.None)
        {
            return action;
        }

        Route(new SimEvent(ev.Time, ev.Target, ev.Source, ev.Sequence | EngineEventKinds.FaultNoteSequenceBit, EngineEventKinds.FaultInjected, FaultNote.Encode(action, ev.Kind, delay), ev.Source, (long)ev.Sequence));
        switch (action)
        {
            case FaultAction.Delay:
                ev.Time += delay;
                break;
            case FaultAction.Duplicate:
                Route(ev with { Sequence = ev.Sequence | EngineEventKinds.DuplicateSequenceBit });
                break;
            case FaultAction.Reorder:
                ev.Kind |= EngineEventKinds.ReorderFlag;
                break;
        }

        return action;
    }

    /// <summary>A message marked for reordering waits for the next message on its link, or the reorder window.</summary>
    private void HoldForReorder(SimEvent ev)
    {
        var link = (ev.Source, ev.Target);
        if (!heldForReorder.TryGetValue(link, out var held))
        {
            held = new Queue<SimEvent>();
            heldForReorder[link] = held;
        }

        ev.Kind &= ~EngineEventKinds.ReorderFlag;
        held.Enqueue(ev);
        queue.Push(new SimEvent(ev.Time + faults!.ReorderWindowCycles, ev.Target, ev.Source, ev.Sequence | EngineEventKinds.ReleaseSequenceBit, EngineEventKinds.ReorderRelease, ev.Source, (long)ev.Sequence, 0));
    }

    /// <summary>After a message on a link with held messages (or the release timer), delivers the held ones now.</summary>
    private ulong ReleaseHeld(in SimEvent after, ISimModel model)
    {
        var source = after.Source;
        if (after.Kind < 0 && after.Kind != EngineEventKinds.ReorderRelease)
        {
            return 0;
        }

        var link = (source, after.Target);
        if (!heldForReorder.Remove(link, out var held))
        {
            return 0;
        }

        ulong count = 0;
        while (held.Count > 0)
        {
            var ev = held.Dequeue();
            ev.Time = nowCycles;
            count += DeliverOne(ev, model);
        }

        return count;
    }

    /// <summary>
    /// Schedules an event from outside any handler (initial events, replays, tests). Its time may
    /// not be earlier than the last event delivered: virtual time never goes back.
    /// </summary>
    public void Inject(in SimEvent ev) => queue.Push(ev);

    /// <summary>True when a batch for <paramref name="destination"/> is waiting to be sent.</summary>
    public bool HasBatchFor(int destination) => outgoing[destination].Count > 0;

    /// <summary>Encodes and clears the buffered events for one destination partition.</summary>
    public EventBatch TakeBatch(int destination, ulong runId, ulong window)
    {
        var buffer = outgoing[destination];
        var bytes = new byte[buffer.Count * EventCodec.EncodedSize];
        for (var i = 0; i < buffer.Count; i++)
        {
            EventCodec.Write(buffer.Items[i], bytes.AsSpan(i * EventCodec.EncodedSize));
        }

        var batch = new EventBatch
        {
            RunId = runId,
            Window = window,
            SourcePartition = (uint)Partition,
            Count = (uint)buffer.Count,
            Events = UnsafeByteOperations.UnsafeWrap(bytes),
        };
        buffer.Clear();
        return batch;
    }

    /// <summary>Enqueues every event of a batch from another partition.</summary>
    public void ReceiveBatch(EventBatch batch)
    {
        var span = batch.Events.Span;
        if (span.Length != batch.Count * EventCodec.EncodedSize)
        {
            throw new InvalidOperationException(
                $"batch from partition {batch.SourcePartition} has {span.Length} bytes for {batch.Count} events");
        }

        for (var i = 0; i < (int)batch.Count; i++)
        {
            var ev = EventCodec.Read(span.Slice(i * EventCodec.EncodedSize, EventCodec.EncodedSize));
            if (partitionOfActor[ev.Target] != Partition)
            {
                throw new InvalidOperationException($"event for actor {ev.Target} reached partition {Partition}");
            }

            queue.Push(ev);
        }
    }

    /// <summary>Per-actor trace digests of every actor that received at least one message.</summary>
    public IEnumerable<ActorDigest> Digests()
    {
        for (uint actor = 0; actor < traces.Length; actor++)
        {
            if (traces[actor].Delivered > 0)
            {
                yield return new ActorDigest { Actor = actor, Delivered = traces[actor].Delivered, Hash = traces[actor].Chain };
            }
        }
    }

    /// <summary>Events left in this partition's queue (for the end-of-run report).</summary>
    public int RemainingEvents => queue.Count;

    /// <summary>One actor's trace digest so far; chain and count sit together (one cache line per delivery).</summary>
    private struct ActorTrace
    {
        public ulong Chain;
        public ulong Delivered;
    }

    private sealed class OutgoingBuffer
    {
        public SimEvent[] Items = new SimEvent[256];
        public int Count;

        public void Add(in SimEvent ev)
        {
            if (Count == Items.Length)
            {
                Array.Resize(ref Items, Items.Length * 2);
            }

            Items[Count++] = ev;
        }

        public void Clear() => Count = 0;
    }
}

/// <summary>What a partition reports at the end of a window.</summary>
public readonly record struct WindowResult(ulong NextEventCycles, ulong MinSentCycles, ulong EventsDelivered, bool StopRequested);

/// <summary>Sees every message when it is sent, with the send time (timelines draw flows from send to delivery).</summary>
public interface ISendObserver
{
    void OnSent(int partition, ulong sendCycles, in SimEvent ev);
}

/// <summary>Sees every delivered event, in delivery order (recording, timelines, tests).</summary>
public interface IDeliveryObserver
{
    void OnDelivered(int partition, in SimEvent ev);
}
