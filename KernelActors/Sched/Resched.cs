using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_resched / H2K_resched_cluster (kernel/sched/resched, h2-domain.md §4.3), the handlers of
/// RESCHED_INT and CLUSTER_RESCHED_INT, with [P]'s exiting gate (§7.2): it sees only the context
/// RUNNING on the interrupted hthread when the interrupt is taken. BKL held (taken by the entry).
/// </summary>
public sealed partial class Kernel
{
    internal void Resched(ThreadContext? me, int hthread, bool cluster)
    {
        Charge(Costs.ReschedCycles);
        if (cluster)
        {
            Iassignw(KernelConstants.ClusterReschedInt, ulong.MaxValue);
        }

        if (me is not null)
        {
            RunlistRemove(me);
            if (Variant == KernelVariant.Pr39 && me.VmBlock.Exiting)
            {
                // [P] self-reap: cancel my timer, free my context, finalize, me = NULL.
                TimerCancelWithLock(me);
                FreeContextLocked(me.VmBlock, me);
                VmBlockFinalizeIfDoneLocked(me.VmBlock);
                me = null;
            }
            else
            {
                ReadyAppend(me);
            }
        }

        if (me is null)
        {
            LeaveIdle(hthread);
        }

        Dosched(me, hthread);
    }

    /// <summary>H2K_sched_yield (trap0 12): round robin among equals; returns 0.</summary>
    internal void SchedYield(ThreadContext me)
    {
        Charge(Costs.YieldCycles);
        if (!AnyReadyAt(me.Prio))
        {
            me.R00 = 0;
            return;
        }

        me.R00 = 0;
        RunlistRemove(me);
        ReadyAppend(me);
        Dosched(me, me.HThread);
    }
}
