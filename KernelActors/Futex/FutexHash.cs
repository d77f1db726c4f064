using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The futex hash (kernel/futex/futex_common.h, h2-domain.md §5.1): 64 buckets, each a ring
/// ordered by priority (best first, FIFO among equals); waiters matched by address.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>FUTEX_HASHVAL: top 6 bits of (PA&gt;&gt;2)×2654435761, XORed with the high PA bits.</summary>
    public static int FutexBucket(long address)
    {
        var pa = (ulong)address;
        var hashed = (uint)((pa >> 2) * 2654435761UL);
        return (int)(((hashed >> 26) ^ (pa >> 32)) & (KernelConstants.FutexHashSize - 1));
    }

    /// <summary>H2K_futex_hash_add_ring: after the last entry whose priority is ≤ mine.</summary>
    public void FutexHashAdd(ThreadContext context)
    {
        ref var head = ref FutexHash[FutexBucket(context.FutexPtr)];
        if (head is null || head.Prio > context.Prio)
        {
            Ring.InsertHead(ref head, context);
            return;
        }

        var position = head;
        do
        {
            position = position.Next!;
        }
        while (position != head && position.Prio <= context.Prio);

        Ring.InsertBefore(position, context);
    }

    public void FutexHashRemove(ThreadContext context) => Ring.Remove(ref FutexHash[FutexBucket(context.FutexPtr)], context);

    /// <summary>The first waiter on <paramref name="address"/> in ring order (best priority first).</summary>
    public ThreadContext? FutexFirstWaiter(long address)
    {
        foreach (var context in Ring.Enumerate(FutexHash[FutexBucket(address)]))
        {
            if (context.FutexPtr == address)
            {
                return context;
            }
        }

        return null;
    }

    /// <summary>Re-sorts a waiter in its bucket after a priority change (PI boost).</summary>
    public void FutexHashResort(ThreadContext context)
    {
        FutexHashRemove(context);
        FutexHashAdd(context);
    }

    /// <summary>H2K_futex_cancel (futex_misc): unlink from the bucket, r00 = -1; status unchanged.</summary>
    public void FutexCancel(ThreadContext context)
    {
        FutexHashRemove(context);
        context.R00 = -1;
    }
}
