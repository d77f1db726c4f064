using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// [M] kill_thread_locked (kernel/vm/vmop, h2-domain.md §7.3): mark KILL|VMWORK (IE untouched)
/// and make the victim notice it. It does not tear anything down: the victim dies itself in
/// H2K_vm_do_work_withlock (switch-in, VM IPI, vmwait, block gates). No check_sanity. BKL held.
/// </summary>
public sealed partial class Kernel
{
    internal void KillThreadLocked(ThreadContext target)
    {
        AssertBklHeld("kill_thread_locked");
        if (target.Status == ContextStatus.Dead)
        {
            return;
        }

        Charge(Costs.KillThreadCycles);
        target.VmStatus |= VmStatusBits.Kill | VmStatusBits.VmWork;
        effects.Note(Cluster, KernelNote.KillMarked, target.VmBlock, target.Id.Raw, (long)target.Status);
        switch (target.Status)
        {
            case ContextStatus.VmWait:
                ClearWaitingCpu(target);
                ReadyAppend(target);
                break;
            case ContextStatus.Running:
                // Includes self: the self-IPI fires on the first guest instruction after the trap.
                VmIpiSendWithLock(target, killDelivery: true);
                break;
            case ContextStatus.IntBlocked:
                // popup_cancel even for intpool waiters (R7).
                PopupCancel(target);
                ReadyAppend(target);
                break;
            case ContextStatus.Blocked:
                FutexCancel(target);
                ReadyAppend(target);
                break;
            case ContextStatus.Ready:
                break;
        }
    }
}
