using System.Runtime.CompilerServices;

namespace H2Sim.Core.Events;

/// <summary>
/// The partition's one priority queue: a binary min-heap of events by key (architecture.md §4).
/// <para>
/// The heap orders compact 32-byte entries (the key and a slot number); the 56-byte events stay
/// put in their slots until popped. Popping is the hot path's largest cost, and it is bound by
/// how fast one level of the heap follows another, so each level moves as little as possible:
/// a pop walks the hole down to a leaf along the smaller children (choosing with a branch-free
/// comparison, since which child is smaller is a coin toss the branch predictor cannot learn) and
/// then sifts the last entry up from there (Floyd), which usually takes no step at all.
/// </para>
/// All arrays grow by doubling and never shrink, so steady state allocates nothing.
/// </summary>
public sealed class EventHeap
{
    private Entry[] entries;
    private SimEvent[] slots;
    private int[] freeSlots;
    private int freeSlotCount;
    private int count;

    public EventHeap(int initialCapacity = 1024)
    {
        var capacity = Math.Max(16, initialCapacity);
        entries = new Entry[capacity];
        slots = new SimEvent[capacity];
        freeSlots = new int[capacity];
        ResetFreeSlots();
    }

    public int Count => count;

    /// <summary>Time of the earliest event, or <see cref="ulong.MaxValue"/> when empty.</summary>
    public ulong PeekTime => count == 0 ? ulong.MaxValue : entries[0].Time;

    /// <summary>The earliest event (the heap must not be empty).</summary>
    public ref readonly SimEvent Peek()
    {
        if (count == 0)
        {
            throw new InvalidOperationException("EventHeap is empty");
        }

        return ref slots[entries[0].Slot];
    }

    public void Push(in SimEvent ev)
    {
        if (count == entries.Length)
        {
            Grow();
        }

        var slot = freeSlots[--freeSlotCount];
        slots[slot] = ev;
        SiftUp(count++, new Entry(ev, slot));
    }

    public SimEvent Pop()
    {
        if (count == 0)
        {
            throw new InvalidOperationException("EventHeap is empty");
        }

        var heap = entries;
        var topSlot = heap[0].Slot;
        var last = --count;
        if (last > 0)
        {
            // heap[last] leaves the heap's shape; walk the hole at the root down to a leaf...
            var hole = 0;
            var child = 1;
            while (child + 1 < last)
            {
                child += Entry.Precedes(heap[child + 1], heap[child]) ? 1 : 0;
                heap[hole] = heap[child];
                hole = child;
                child = (hole << 1) + 1;
            }

            if (child < last)
            {
                heap[hole] = heap[child];
                hole = child;
            }

            // ...and put the old last entry back in, sifting up from that leaf.
            SiftUp(hole, heap[last]);
        }

        freeSlots[freeSlotCount++] = topSlot;
        return slots[topSlot];
    }

    /// <summary>Removes every event (capacity is kept).</summary>
    public void Clear()
    {
        count = 0;
        ResetFreeSlots();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SiftUp(int hole, Entry entry)
    {
        var heap = entries;
        while (hole > 0)
        {
            var parent = (hole - 1) >> 1;
            if (!Entry.Precedes(entry, heap[parent]))
            {
                break;
            }

            heap[hole] = heap[parent];
            hole = parent;
        }

        heap[hole] = entry;
    }

    private void Grow()
    {
        var oldCapacity = entries.Length;
        var capacity = oldCapacity * 2;
        Array.Resize(ref entries, capacity);
        Array.Resize(ref slots, capacity);
        freeSlots = new int[capacity];
        freeSlotCount = 0;
        for (var slot = capacity - 1; slot >= oldCapacity; slot--)
        {
            freeSlots[freeSlotCount++] = slot;
        }
    }

    private void ResetFreeSlots()
    {
        freeSlotCount = 0;
        for (var slot = freeSlots.Length - 1; slot >= 0; slot--)
        {
            freeSlots[freeSlotCount++] = slot;
        }
    }

    /// <summary>An event's key, packed for comparison, and where the event waits.</summary>
    private readonly struct Entry
    {
        public readonly ulong Time;

        /// <summary>Target in the high half, source in the low half: compares in key order.</summary>
        public readonly ulong TargetSource;

        public readonly ulong Sequence;
        public readonly int Slot;

        public Entry(in SimEvent ev, int slot)
        {
            Time = ev.Time;
            TargetSource = ((ulong)ev.Target << 32) | ev.Source;
            Sequence = ev.Sequence;
            Slot = slot;
        }

        /// <summary>Key order without branches (non-short-circuit operators on purpose).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Precedes(in Entry x, in Entry y) =>
            (x.Time < y.Time)
            | ((x.Time == y.Time)
               & ((x.TargetSource < y.TargetSource) | ((x.TargetSource == y.TargetSource) & (x.Sequence < y.Sequence))));
    }
}
