using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_thread_stop (kernel/thread/stop, h2-domain.md §6.4, §7.1–7.3): trap0 5, vmtrap 19 and fatal
/// errors. [B] and [M] (as H2K_thread_stop_withlock) free the context inline and apply the
/// CHILDINT rule; [P] frees through H2K_free_context_locked, runs the all-blocked heuristic and
/// then the finalizer. All end in dosched(NULL) so the dead context is never saved. BKL held.
/// </summary>
public sealed partial class Kernel
{
    public void ThreadStopWithLock(long status, ThreadContext me)
    {
        Charge(Costs.ThreadStop);
        var vm = me.VmBlock;
        AssertNotFreed(vm, "thread_stop");
        var hthread = me.HThread;
        switch (Variant)
        {
            case KernelVariant.Pr39:
                TimerCancelWithLock(me);
                RunlistRemove(me);
                FreeContextLocked(vm, me);
                vm.Status = status;
                if (!vm.Exiting && status == 0 && vm.NumCpus > 0 && AllLiveBlockedWithoutTimeout(vm))
                {
                    // [P] all-blocked heuristic: only evaluated when some thread stops.
                    foreach (var context in vm.Contexts)
                    {
                        ReapOneLocked(context);
                    }
                }

                VmBlockFinalizeIfDoneLocked(vm);
                break;
            default:
                TimerCancelWithLock(me);
                RunlistRemove(me);
                FreeContextLocked(vm, me);
                vm.Status = status;
                ChildIntRule(vm, status);
                break;
        }

        Dosched(null, hthread);
    }

    /// <summary>
    /// The CHILDINT rule ([B]/[M] inline, §6.4 step 3): on status ≠ 0 or num_cpus == 0, post
    /// CHILDINT to a live parent; with no live parent, free the vmblock at num_cpus == 0.
    /// </summary>
    private void ChildIntRule(VmBlock vm, long status)
    {
        if (status == 0 && vm.NumCpus != 0)
        {
            return;
        }

        if (ParentAlive(vm))
        {
            NotifyParent(vm, status);
        }
        else if (vm.NumCpus == 0)
        {
            FreeVmBlock(vm);
        }
    }

    /// <summary>[P]: every non-DEAD context is BLOCKED or INTBLOCKED with timeout == 0.</summary>
    private static bool AllLiveBlockedWithoutTimeout(VmBlock vm)
    {
        foreach (var context in vm.Contexts)
        {
            if (context.Status == ContextStatus.Dead)
            {
                continue;
            }

            if (context.Status is not (ContextStatus.Blocked or ContextStatus.IntBlocked) || context.Timeout != 0)
            {
                return false;
            }
        }

        return true;
    }
}
