namespace H2Sim.KernelActors.Data;

/// <summary>
/// The kernel's circular doubly linked rings over ThreadContext.Next/Prev (ready rings, futex
/// buckets, the intpool ring). The head reference is the ring's first element.
/// </summary>
public static class Ring
{
    /// <summary>Adds at the tail (FIFO).</summary>
    public static void Append(ref ThreadContext? head, ThreadContext context)
    {
        if (context.Next is not null || context.Prev is not null)
        {
            throw new KernelInvariantException("ring-membership", $"{context} is linked into a ring already");
        }

        if (head is null)
        {
            context.Next = context;
            context.Prev = context;
            head = context;
            return;
        }

        InsertBefore(head, context);
    }

    /// <summary>Adds at the head (H2K_ready_insert).</summary>
    public static void InsertHead(ref ThreadContext? head, ThreadContext context)
    {
        Append(ref head, context);
        head = context;
    }

    /// <summary>Inserts <paramref name="context"/> right before <paramref name="position"/>.</summary>
    public static void InsertBefore(ThreadContext position, ThreadContext context)
    {
        var tail = position.Prev!;
        context.Prev = tail;
        context.Next = position;
        tail.Next = context;
        position.Prev = context;
    }

    public static void Remove(ref ThreadContext? head, ThreadContext context)
    {
        if (context.Next is null || context.Prev is null)
        {
            throw new KernelInvariantException("ring-membership", $"{context} is not linked into a ring");
        }

        if (context.Next == context)
        {
            head = null;
        }
        else
        {
            context.Prev.Next = context.Next;
            context.Next.Prev = context.Prev;
            if (head == context)
            {
                head = context.Next;
            }
        }

        context.Next = null;
        context.Prev = null;
    }

    /// <summary>The ring from <paramref name="head"/> on, walked without allocating (the end-of-section checks walk every ring).</summary>
    public static RingWalk Enumerate(ThreadContext? head) => new(head);

}
