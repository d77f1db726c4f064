using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The futex hash (kernel/futex/futex_common.h, h2-domain.md §5.1): 64 buckets, each a ring
/// ordered by priority (best first, FIFO among equals); waiters matched by address.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>
    /// FUTEX_HASHVAL(X) of kernel/futex/futex_common/futex_common.h, literally, with X = PA&gt;&gt;2
    /// (what futex_ptr holds): the top 6 bits of the 32-bit product (u32)X × FUTEX_PRIME, XORed with
    /// (u32)(X &gt;&gt; 32), unmasked. A PA at or above 2^34 makes the index 64 or more: the C code then
    /// indexes past futexhash[], reported as a violation. Guest memory lies below 2^32
    /// (<see cref="VmBlock.MemoryBase"/>), as on Hexagon's 32-bit PAs, so the XOR term is 0.
    /// </summary>
    internal static int FutexBucket(long address)
    {
        var x = (ulong)address >> 2;
        var product = unchecked((uint)x * 2654435761u);
        var index = (product >> 26) ^ (uint)(x >> 32);
        if (index >= KernelConstants.FutexHashSize)
        {
            throw new KernelInvariantException("futex-hash-bounds", $"FUTEX_HASHVAL of PA 0x{address:x} is {index}, past futexhash[{KernelConstants.FutexHashSize}]");
        }

        return (int)index;
    }

    /// <summary>H2K_futex_hash_add_ring: after the last entry whose priority is ≤ mine.</summary>
    internal void FutexHashAdd(ThreadContext context)
    {
        var bucket = FutexBucket(context.FutexPtr);
        context.LinkInto(ContextPlace.Futex, bucket);
        ref var head = ref FutexHash[bucket];
        if (head is null || head.Prio > context.Prio)
        {
            Ring.InsertHead(ref head, context);
            return;
        }

        var position = head;
        do
        {
            Charge(Costs.FutexScanCycles);
            position = position.Next!;
        }
        while (position != head && position.Prio <= context.Prio);

        Ring.InsertBefore(position, context);
    }

    internal void FutexHashRemove(ThreadContext context)
    {
        var bucket = FutexBucket(context.FutexPtr);
        context.UnlinkFrom(ContextPlace.Futex, bucket, "futex hash remove");
        Ring.Remove(ref FutexHash[bucket], context);
    }

    /// <summary>
    /// The first waiter on <paramref name="address"/> in ring order (best priority first), matched as
    /// H2K_futex_hash_remove_one matches: by the low 32 bits of futex_ptr (PA&gt;&gt;2).
    /// </summary>
    internal ThreadContext? FutexFirstWaiter(long address)
    {
        var head = FutexHash[FutexBucket(address)];
        if (head is null)
        {
            return null;
        }

        var key = unchecked((uint)((ulong)address >> 2));
        var context = head;
        do
        {
            Charge(Costs.FutexScanCycles);
            if (unchecked((uint)((ulong)context.FutexPtr >> 2)) == key)
            {
                return context;
            }

            context = context.Next!;
        }
        while (context != head);
        return null;
    }

    /// <summary>Re-sorts a waiter in its bucket after a priority change (PI boost).</summary>
    internal void FutexHashResort(ThreadContext context)
    {
        FutexHashRemove(context);
        FutexHashAdd(context);
    }

    /// <summary>H2K_futex_cancel (futex_misc): unlink from its bucket (it must be BLOCKED there), r00 = -1; status unchanged.</summary>
    internal void FutexCancel(ThreadContext context)
    {
        AssertBklHeld("H2K_futex_cancel");
        if (context.Status != ContextStatus.Blocked)
        {
            throw new KernelInvariantException("futex-membership", $"futex_cancel of {context}, which is not BLOCKED");
        }

        FutexHashRemove(context);
        context.R00 = -1;
    }
}
