using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// [P] only (PR #39 at 2bcf39cf, h2-domain.md §7.2): H2K_vm_stop (trap0 7), vm_stop_locked with
/// pass 1 (reap_one_locked per state) and pass 2 (CLUSTER_RESCHED_INT to each RUNNING peer), and
/// H2K_vmblock_finalize_if_done_locked with its num_cpus guard. BKL held.
/// </summary>
public sealed partial class Kernel
{
    internal void VmStop(long status, ThreadContext me)
    {
        var hthread = me.HThread;
        VmStopLocked(status, me);
        Dosched(null, hthread);
    }

    private void VmStopLocked(long status, ThreadContext me)
    {
        Charge(Costs.VmStopCycles);
        var vm = me.VmBlock;
        AssertNotFreed(vm, "vm_stop");
        vm.Exiting = true;

        TimerCancelWithLock(me);
        RunlistRemove(me);
        FreeContextLocked(vm, me);
        vm.Status = unchecked((int)status);

        // Pass 1: reap every context that is not RUNNING.
        foreach (var context in vm.Contexts)
        {
            Charge(Costs.SlotScanCycles);
            ReapOneLocked(context);
        }

        // Pass 2: each RUNNING peer must self-reap in resched: steer CLUSTER_RESCHED_INT at it and raise.
        foreach (var context in vm.Contexts)
        {
            Charge(Costs.SlotScanCycles);
            if (context.Status == ContextStatus.Running && context != me)
            {
                Iassignw(KernelConstants.ClusterReschedInt, ~(1UL << context.HThread));
                Swi(KernelConstants.ClusterReschedInt);
            }
        }

        VmBlockFinalizeIfDoneLocked(vm);
    }

    /// <summary>reap_one_locked: per-state reap; returns 1 when it freed the context.</summary>
    internal int ReapOneLocked(ThreadContext context)
    {
        AssertBklHeld("reap_one_locked");
        switch (context.Status)
        {
            case ContextStatus.Dead:
            case ContextStatus.Running:
                // RUNNING peers must self-reap.
                return 0;
            case ContextStatus.Blocked:
                TimerCancelWithLock(context);
                FutexCancel(context);
                break;
            case ContextStatus.IntBlocked:
                // The source's TODO: popup waiters share INTBLOCKED and are not handled (R7).
                TimerCancelWithLock(context);
                IntpoolCancel(context);
                break;
            case ContextStatus.Ready:
                ReadyRemove(context);
                TimerCancelWithLock(context);
                break;
            case ContextStatus.VmWait:
                ClearWaitingCpu(context);
                TimerCancelWithLock(context);
                break;
            default:
                return 0;
        }

        Charge(Costs.ReapOneCycles);
        effects.Note(Cluster, KernelNote.ContextReaped, context.VmBlock, context.Id.Raw, (long)context.Status);
        FreeContextLocked(context.VmBlock, context);
        return 1;
    }

    /// <summary>
    /// H2K_vmblock_finalize_if_done_locked: the num_cpus guard returns early while peers live and
    /// status is 0; otherwise CHILDINT to a live parent, else free at num_cpus == 0. Bug
    /// finalize-no-numcpus-guard drops the guard: an exiting VM's block is then freed while a
    /// RUNNING peer still uses it (the use-after-free R1's guard prevents).
    /// </summary>
    internal void VmBlockFinalizeIfDoneLocked(VmBlock vm)
    {
        AssertBklHeld("H2K_vmblock_finalize_if_done_locked");
        var guarded = (Bugs & KernelBug.FinalizeNoNumcpusGuard) == 0;
        if (guarded && vm.NumCpus != 0 && vm.Status == 0)
        {
            return;
        }

        var parentAlive = ParentAlive(vm);
        if (parentAlive && (vm.Status != 0 || vm.NumCpus == 0))
        {
            NotifyParent(vm);
        }
        else if (vm.NumCpus == 0 && !parentAlive)
        {
            FreeVmBlock(vm);
        }

        if (!guarded && vm.Exiting && vm.NumCpus != 0 && !vm.Freed)
        {
            FreeVmBlock(vm);
        }
    }
}
