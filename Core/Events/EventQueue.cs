using System.Numerics;
using System.Runtime.CompilerServices;

namespace H2Sim.Core.Events;

/// <summary>
/// A partition's event queue (architecture.md §5): pops events in key order (time, target,
/// source, sequence), for a discrete-event loop whose clock never goes back — an event may not
/// be pushed earlier than the last one popped.
/// <para>
/// Time is whole cycles and events crowd near the present, so the queue is a calendar: a ring of
/// <see cref="RingCycles"/> one-cycle buckets holds the events of the next RingCycles cycles
/// (unordered, linked through their slots), a bitmap says which buckets hold any, and a small
/// binary heap orders the events of the current cycle by (target, source, sequence). Events
/// further ahead wait in an <see cref="EventHeap"/> and move into the ring as the clock reaches
/// them. A push is a link into a bucket; a pop is a pop from a heap of one cycle's events. The
/// one big binary heap this replaces spent most of PHOLD's time walking ~13 levels per pop.
/// </para>
/// All arrays grow by doubling and never shrink, so steady state allocates nothing.
/// </summary>
public sealed class EventQueue
{
    /// <summary>Cycles the ring covers ahead of the current cycle (a power of two).</summary>
    public const int RingCycles = 4096;

    private const int RingMask = RingCycles - 1;
    private const int RingWords = RingCycles / 64;
    private const int NoSlot = -1;

    private readonly int[] bucketHead = new int[RingCycles];
    private readonly ulong[] occupied = new ulong[RingWords];
    private readonly EventHeap later;

    private SimEvent[] slots;
    private int[] nextInBucket;
    private int[] freeSlots;
    private int freeSlotCount;
    private int ringCount;

    private CurrentEntry[] current;
    private int currentCount;
    private ulong currentCycles;

    public EventQueue(int initialCapacity = 1024)
    {
        var capacity = Math.Max(16, initialCapacity);
        later = new EventHeap(capacity);
        slots = new SimEvent[capacity];
        nextInBucket = new int[capacity];
        freeSlots = new int[capacity];
        current = new CurrentEntry[64];
        Clear();
    }

    public int Count => currentCount + ringCount + later.Count;

    /// <summary>The cycle of the last event popped (0 before the first): no push may be earlier.</summary>
    public ulong CurrentCycles => currentCycles;

    /// <summary>Time of the earliest event, or <see cref="ulong.MaxValue"/> when empty.</summary>
    public ulong PeekTime => currentCount > 0 ? currentCycles : EarliestAfterCurrent();

    public void Push(in SimEvent ev)
    {
        if (ev.Time < currentCycles)
        {
            throw new InvalidOperationException(
                $"event {ev} is earlier than the queue's current cycle {currentCycles}: virtual time never goes back");
        }

        var ahead = ev.Time - currentCycles;
        if (ahead == 0)
        {
            PushCurrent(Store(ev), ev);
        }
        else if (ahead < RingCycles)
        {
            Link(Store(ev), ev.Time);
        }
        else
        {
            later.Push(ev);
        }
    }

    public SimEvent Pop()
    {
        if (currentCount == 0)
        {
            AdvanceToNextCycle();
        }

        var slot = PopCurrent();
        freeSlots[freeSlotCount++] = slot;
        return slots[slot];
    }

    /// <summary>Removes every event and resets the clock to cycle 0 (capacity is kept).</summary>
    public void Clear()
    {
        Array.Fill(bucketHead, NoSlot);
        Array.Clear(occupied);
        later.Clear();
        ringCount = 0;
        currentCount = 0;
        currentCycles = 0;
        freeSlotCount = 0;
        for (var slot = freeSlots.Length - 1; slot >= 0; slot--)
        {
            freeSlots[freeSlotCount++] = slot;
        }
    }

    /// <summary>Moves the clock to the next cycle holding events and orders that cycle's events.</summary>
    private void AdvanceToNextCycle()
    {
        var next = EarliestAfterCurrent();
        if (next == ulong.MaxValue)
        {
            throw new InvalidOperationException("EventQueue is empty");
        }

        currentCycles = next;

        // The ring now reaches RingCycles past the new cycle: bring in what it newly covers.
        while (later.Count > 0 && later.PeekTime - currentCycles < RingCycles)
        {
            var ev = later.Pop();
            Link(Store(ev), ev.Time);
        }

        var bucket = (int)(next & RingMask);
        for (var slot = bucketHead[bucket]; slot != NoSlot; slot = nextInBucket[slot])
        {
            PushCurrent(slot, slots[slot]);
            ringCount--;
        }

        bucketHead[bucket] = NoSlot;
        occupied[bucket >> 6] &= ~(1UL << bucket);
    }

    /// <summary>The earliest event time after the current cycle: the first occupied bucket, else the far heap.</summary>
    private ulong EarliestAfterCurrent()
    {
        if (ringCount > 0)
        {
            // Buckets in ring order from the one after the current cycle's; the current cycle's
            // own bucket is always empty (its events are in the current heap).
            var currentBucket = (int)(currentCycles & RingMask);
            var start = (currentBucket + 1) & RingMask;
            var word = start >> 6;
            var bits = occupied[word] & (ulong.MaxValue << start);
            for (var step = 0; step <= RingWords; step++)
            {
                if (bits != 0)
                {
                    var bucket = (word << 6) + BitOperations.TrailingZeroCount(bits);
                    return currentCycles + (ulong)((bucket - currentBucket) & RingMask);
                }

                word = (word + 1) & (RingWords - 1);
                bits = occupied[word];
            }

            throw new InvalidOperationException("EventQueue ring count and bitmap disagree");
        }

        return later.PeekTime;
    }

    private int Store(in SimEvent ev)
    {
        if (freeSlotCount == 0)
        {
            Grow();
        }

        var slot = freeSlots[--freeSlotCount];
        slots[slot] = ev;
        return slot;
    }

    private void Link(int slot, ulong time)
    {
        var bucket = (int)(time & RingMask);
        nextInBucket[slot] = bucketHead[bucket];
        bucketHead[bucket] = slot;
        occupied[bucket >> 6] |= 1UL << bucket;
        ringCount++;
    }

    private void PushCurrent(int slot, in SimEvent ev)
    {
        if (currentCount == current.Length)
        {
            Array.Resize(ref current, current.Length * 2);
        }

        var entry = new CurrentEntry(ev, slot);
        var hole = currentCount++;
        while (hole > 0)
        {
            var parent = (hole - 1) >> 1;
            if (!CurrentEntry.Precedes(entry, current[parent]))
            {
                break;
            }

            current[hole] = current[parent];
            hole = parent;
        }

        current[hole] = entry;
    }

    private int PopCurrent()
    {
        var heap = current;
        var topSlot = heap[0].Slot;
        var last = --currentCount;
        if (last > 0)
        {
            var entry = heap[last];
            var hole = 0;
            var child = 1;
            while (child < last)
            {
                child += (child + 1 < last && CurrentEntry.Precedes(heap[child + 1], heap[child])) ? 1 : 0;
                if (!CurrentEntry.Precedes(heap[child], entry))
                {
                    break;
                }

                heap[hole] = heap[child];
                hole = child;
                child = (hole << 1) + 1;
            }

            heap[hole] = entry;
        }

        return topSlot;
    }

    private void Grow()
    {
        var oldCapacity = slots.Length;
        var capacity = oldCapacity * 2;
        Array.Resize(ref slots, capacity);
        Array.Resize(ref nextInBucket, capacity);
        Array.Resize(ref freeSlots, capacity);
        for (var slot = capacity - 1; slot >= oldCapacity; slot--)
        {
            freeSlots[freeSlotCount++] = slot;
        }
    }

    /// <summary>An event of the current cycle: the rest of its key, and its slot.</summary>
    private readonly struct CurrentEntry(in SimEvent ev, int slot)
    {
        /// <summary>Target in the high half, source in the low half: compares in key order.</summary>
        public readonly ulong TargetSource = ((ulong)ev.Target << 32) | ev.Source;

        public readonly ulong Sequence = ev.Sequence;
        public readonly int Slot = slot;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Precedes(in CurrentEntry x, in CurrentEntry y) =>
            x.TargetSource < y.TargetSource || (x.TargetSource == y.TargetSource && x.Sequence < y.Sequence);
    }
}
