using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Deferred work (kernel/vm/vmwork, h2-domain.md §5.7, §7.3): [B]/[P] H2K_vm_do_work and [M]
/// H2K_vm_do_work_withlock, plus H2K_vm_check_interrupts (§6.2).
/// </summary>
public sealed partial class Kernel
{
    /// <summary>
    /// [B]/[P] H2K_vm_do_work: KILL → H2K_thread_stop(0xd1eed1ee), which takes the BKL itself (a
    /// deadlock when the caller holds it, R3); VMWORK clear → -1; else clear VMWORK only if IE is
    /// set, then check interrupts.
    /// </summary>
    internal int VmDoWork(ThreadContext me, bool bklHeld)
    {
        Charge(Costs.VmDoWorkCycles);
        if (me.Has(VmStatusBits.Kill))
        {
            if (bklHeld)
            {
                BklRelock($"H2K_vm_do_work on {me}: KILL → H2K_thread_stop takes the BKL");
            }

            ThreadStopWithLock(unchecked((int)KernelConstants.BaseKillStatus), me);
            return -1;
        }

        if (!me.Has(VmStatusBits.VmWork))
        {
            return -1;
        }

        if (me.Has(VmStatusBits.Ie))
        {
            me.VmStatus &= ~VmStatusBits.VmWork;
        }

        return VmCheckInterrupts(me);
    }

    /// <summary>
    /// [M] H2K_vm_do_work_withlock: KILL → H2K_thread_stop_withlock(vmblock->status), never
    /// returns; VMWORK clear → -1; else clear VMWORK unconditionally and check interrupts.
    /// With bug dowork-stop-relocks-bkl (R3, before the _withlock split) the KILL branch calls the
    /// locking H2K_thread_stop: fine from the VM-IPI handler, which then ran without the BKL, a
    /// deadlock from the switch-in hook, vmwait and the gates, which hold it.
    /// </summary>
    internal int VmDoWorkWithLock(ThreadContext me, bool fromIpiHandler = false)
    {
        AssertBklHeld("H2K_vm_do_work_withlock");
        Charge(Costs.VmDoWorkCycles);
        if (me.Has(VmStatusBits.Kill))
        {
            if ((Bugs & KernelBug.DoworkStopRelocksBkl) != 0 && !fromIpiHandler)
            {
                BklRelock($"deferred work on {me}: KILL → H2K_thread_stop re-acquires the BKL");
            }

            ThreadStopWithLock(me.VmBlock.Status, me);
            return -1;
        }

        if (!me.Has(VmStatusBits.VmWork))
        {
            return -1;
        }

        me.VmStatus &= ~VmStatusBits.VmWork;
        return VmCheckInterrupts(me);
    }

    /// <summary>
    /// H2K_vm_check_interrupts: with IE set, take the lowest pending &amp; enabled per-vCPU interrupt,
    /// clear its pending and enabled bits and raise a guest event (which clears IE); with IE clear,
    /// only peek. Returns the interrupt number or -1.
    /// </summary>
    internal int VmCheckInterrupts(ThreadContext me)
    {
        var ready = me.CpuintPending & me.CpuintEnabled;
        if (ready == 0)
        {
            return -1;
        }

        var intno = System.Numerics.BitOperations.TrailingZeroCount(ready);
        if (!me.Has(VmStatusBits.Ie))
        {
            return intno;
        }

        me.CpuintPending &= (ushort)~(1 << intno);
        me.CpuintEnabled &= (ushort)~(1 << intno);
        me.VmStatus &= ~VmStatusBits.Ie;
        me.GuestEvent = intno;
        return intno;
    }
}
