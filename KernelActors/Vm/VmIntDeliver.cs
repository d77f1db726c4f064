using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_vm_int_deliver_locked (kernel/vm/vmint, h2-domain.md §6.1) and H2K_vm_cpuint_post_locked
/// (kernel/vm/cpuint, §6.2). BKL held.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Post per-vCPU interrupt <paramref name="intno"/>: pending bit, VMWORK, deliver if enabled.</summary>
    internal int VmCpuintPostLocked(ThreadContext target, int intno)
    {
        AssertBklHeld("H2K_vm_cpuint_post_locked");
        Charge(Costs.CpuintPostCycles);
        if (target.Status == ContextStatus.Dead)
        {
            return -1;
        }

        AssertNotFreed(target.VmBlock, "cpuint_post");
        target.CpuintPending |= (ushort)(1 << intno);
        target.VmStatus |= VmStatusBits.VmWork;
        if ((target.CpuintPending & target.CpuintEnabled) != 0)
        {
            return VmIntDeliverLocked(target, intno);
        }

        return 0;
    }

    /// <summary>Delivery by target state; IE decides everywhere except VMWAIT.</summary>
    internal int VmIntDeliverLocked(ThreadContext target, int intno)
    {
        AssertBklHeld("H2K_vm_int_deliver_locked");
        Charge(Costs.VmIntDeliverCycles);
        var ie = target.Has(VmStatusBits.Ie);
        switch (target.Status)
        {
            case ContextStatus.VmWait:
                // Regardless of IE. The C code clears waiting_cpus (no opt asm does, R6).
                ClearWaitingCpu(target);
                target.R00 = intno;
                ReadyAppend(target);
                CheckSanity();
                return 0;
            case ContextStatus.Running:
                if (ie)
                {
                    VmIpiSendWithLock(target);
                }

                return 0;
            case ContextStatus.IntBlocked:
                if (ie)
                {
                    PopupCancel(target);
                    ReadyAppend(target);
                    CheckSanity();
                }

                return 0;
            case ContextStatus.Blocked:
                if (ie)
                {
                    FutexCancel(target);
                    ReadyAppend(target);
                    CheckSanity();
                }

                return 0;
            case ContextStatus.Ready:
                return 0;
            default:
                return -1;
        }
    }

    private static void ClearWaitingCpu(ThreadContext context)
    {
        if (context.Cpuidx < 64)
        {
            context.VmBlock.WaitingCpus &= ~(1UL << (int)context.Cpuidx);
        }
    }
}
