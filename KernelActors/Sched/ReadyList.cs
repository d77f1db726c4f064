using System.Numerics;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_ready_append / _insert / _remove / _getbest (kernel/data/readylist, h2-domain.md §4.1):
/// one ring per priority and a 256-bit valid bitmap; best = lowest set bit.
/// </summary>
public sealed partial class Kernel
{
    private readonly ulong[] readyValids = new ulong[4];

    /// <summary>H2K_ready_append: at the tail of its priority's ring (round robin); status READY.</summary>
    internal void ReadyAppend(ThreadContext context)
    {
        AssertNotFreed(context.VmBlock, "ready_append");
        context.LinkInto(ContextPlace.Ready, context.Prio);
        Ring.Append(ref Ready[context.Prio], context);
        readyValids[context.Prio >> 6] |= 1UL << (context.Prio & 63);
        context.Status = ContextStatus.Ready;
    }

    /// <summary>H2K_ready_insert: at the head (used by PI boost); status READY.</summary>
    internal void ReadyInsert(ThreadContext context)
    {
        context.LinkInto(ContextPlace.Ready, context.Prio);
        Ring.InsertHead(ref Ready[context.Prio], context);
        readyValids[context.Prio >> 6] |= 1UL << (context.Prio & 63);
        context.Status = ContextStatus.Ready;
    }

    /// <summary>H2K_ready_remove (status is left to the caller): the context must be READY and on ready[prio].</summary>
    internal void ReadyRemove(ThreadContext context)
    {
        if (context.Status != ContextStatus.Ready)
        {
            throw new KernelInvariantException("ready-membership", $"ready_remove of {context}, which is not READY");
        }

        context.UnlinkFrom(ContextPlace.Ready, context.Prio, "ready_remove");
        Ring.Remove(ref Ready[context.Prio], context);
        if (Ready[context.Prio] is null)
        {
            readyValids[context.Prio >> 6] &= ~(1UL << (context.Prio & 63));
        }
    }

    /// <summary>Best ready priority, or 256 when nothing is ready.</summary>
    internal int ReadyBestPrio()
    {
        for (var word = 0; word < 4; word++)
        {
            if (readyValids[word] != 0)
            {
                return (word * 64) + BitOperations.TrailingZeroCount(readyValids[word]);
            }
        }

        return KernelConstants.MaxPrios;
    }

    /// <summary>H2K_ready_getbest: unlinks and returns the head of the best ring, or null.</summary>
    internal ThreadContext? ReadyGetBest()
    {
        var prio = ReadyBestPrio();
        if (prio == KernelConstants.MaxPrios)
        {
            return null;
        }

        var best = Ready[prio]!;
        ReadyRemove(best);
        return best;
    }

    /// <summary>True when another thread is ready at <paramref name="prio"/> (yield's test).</summary>
    internal bool AnyReadyAt(int prio) => Ready[prio] is not null;
}
