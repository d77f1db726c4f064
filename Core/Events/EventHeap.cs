namespace H2Sim.Core.Events;

/// <summary>
/// The partition's one priority queue: a binary min-heap of <see cref="SimEvent"/> by key.
/// Backed by one array that grows by doubling and never shrinks, so steady state allocates nothing.
/// </summary>
public sealed class EventHeap
{
    private SimEvent[] items;
    private int count;

    public EventHeap(int initialCapacity = 1024)
    {
        items = new SimEvent[Math.Max(16, initialCapacity)];
    }

    public int Count => count;

    /// <summary>Time of the earliest event, or <see cref="ulong.MaxValue"/> when empty.</summary>
    public ulong PeekTime => count == 0 ? ulong.MaxValue : items[0].Time;

    public ref readonly SimEvent Peek() => ref items[0];

    public void Push(in SimEvent ev)
    {
        if (count == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
        }

        // Sift the hole up, then drop the event into it (one copy per level instead of a swap).
        var hole = count++;
        while (hole > 0)
        {
            var parent = (hole - 1) >> 1;
            if (!ev.PrecedesKey(items[parent]))
            {
                break;
            }

            items[hole] = items[parent];
            hole = parent;
        }

        items[hole] = ev;
    }

    public SimEvent Pop()
    {
        if (count == 0)
        {
            throw new InvalidOperationException("EventHeap is empty");
        }

        var top = items[0];
        var last = items[--count];
        var hole = 0;
        var half = count >> 1;
        while (hole < half)
        {
            var child = (hole << 1) + 1;
            var right = child + 1;
            if (right < count && items[right].PrecedesKey(items[child]))
            {
                child = right;
            }

            if (!items[child].PrecedesKey(last))
            {
                break;
            }

            items[hole] = items[child];
            hole = child;
        }

        items[hole] = last;
        items[count] = default;
        return top;
    }

    /// <summary>Removes every event (capacity is kept).</summary>
    public void Clear()
    {
        Array.Clear(items, 0, count);
        count = 0;
    }
}
