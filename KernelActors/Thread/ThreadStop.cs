using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_thread_stop (kernel/thread/stop, h2-domain.md §6.4, §7.1–7.3): trap0 5, vmtrap 19 and fatal
/// errors. [B] and [M] (as H2K_thread_stop_withlock) free the context inline and apply the
/// CHILDINT rule; [P] frees through H2K_free_context_locked, runs the all-blocked heuristic and
/// then the finalizer; [V] runs [M]'s steps and then its on-empty rule (Vm/VmBlockEmpty.cs). All end
/// in dosched(NULL) so the dead context is never saved. BKL held.
/// </summary>
public sealed partial class Kernel
{
    internal void ThreadStopWithLock(long status, ThreadContext me)
    {
        AssertBklHeld("H2K_thread_stop_withlock");
        Charge(Costs.ThreadStopCycles);
        var vm = me.VmBlock;
        AssertNotFreed(vm, "thread_stop");
        var hthread = me.HThread;
        switch (Variant)
        {
            case KernelVariant.Pr39:
                TimerCancelWithLock(me);
                RunlistRemove(me);
                FreeContextLocked(vm, me);
                vm.Status = unchecked((int)status);
                if (!vm.Exiting && vm.Status == 0 && vm.NumCpus > 0 && AllLiveBlockedWithoutTimeout(vm))
                {
                    // [P] all-blocked heuristic: only evaluated when some thread stops.
                    foreach (var context in vm.Contexts)
                    {
                        Charge(Costs.SlotScanCycles);
                        ReapOneLocked(context);
                    }
                }

                VmBlockFinalizeIfDoneLocked(vm);
                break;
            case KernelVariant.Review:
                TimerCancelWithLock(me);
                RunlistRemove(me);
                FreeContextLocked(vm, me);
                vm.Status = unchecked((int)status);
                VmBlockEmptyLocked(vm);
                break;
            default:
                TimerCancelWithLock(me);
                RunlistRemove(me);
                FreeContextLocked(vm, me);
                vm.Status = unchecked((int)status);
                ChildIntRule(vm);
                break;
        }

        Dosched(null, hthread);
    }

    /// <summary>
    /// The CHILDINT rule ([B]/[M] inline in H2K_thread_stop_withlock, §6.4 step 3): on status ≠ 0
    /// or num_cpus == 0, post CHILDINT to a live parent; with no live parent, free the vmblock at
    /// num_cpus == 0 (its vmblocks[] slot stays set).
    /// </summary>
    private void ChildIntRule(VmBlock vm)
    {
        if (vm.Status == 0 && vm.NumCpus != 0)
        {
            return;
        }

        if (ParentAlive(vm))
        {
            NotifyParent(vm);
        }
        else if (vm.NumCpus == 0)
        {
            FreeVmBlock(vm);
        }
    }

    /// <summary>
    /// CHILDINT to the parent. A local parent's post (H2K_vm_cpuint_post_locked) happens inside this
    /// critical section, before the stopping hthread's dosched, exactly as in C: the message that
    /// carries it is in the trace and open to faults, and only a faulted copy (delayed, reordered,
    /// duplicated) is handled later, on its arrival. A remote parent is told over the interconnect.
    /// </summary>
    private void NotifyParent(VmBlock vm)
    {
        if (vm.RemoteParent is { } remote)
        {
            effects.SendRemote(vm, remote.Cluster, remote.Vmidx, RemoteMessage.ChildInt, vm.Vmidx, vm.Status, 0);
            return;
        }

        if (effects.SendChildInt(vm, vm.Parent))
        {
            var parent = IdToContext(vm.Parent, "thread_stop: CHILDINT post")!;
            VmCpuintPostLocked(parent, KernelConstants.VmChildInt);
            effects.ChildIntHandled((int)vm.Parent.Vmidx, posted: true);
        }
    }

    /// <summary>[P]: every non-DEAD context is BLOCKED or INTBLOCKED with timeout == 0 (one pass over the slots).</summary>
    private bool AllLiveBlockedWithoutTimeout(VmBlock vm)
    {
        foreach (var context in vm.Contexts)
        {
            Charge(Costs.SlotScanCycles);
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
