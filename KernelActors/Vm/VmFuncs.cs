using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// VM traps (kernel/vm/vmfuncs, h2-domain.md §5.5, §6.2, §10): vmwait (16), setie (3), getie (4),
/// the interrupt ops (5) a guest uses to enable per-vCPU interrupts, setvec (2) and return (1).
/// </summary>
public sealed partial class Kernel
{
    /// <summary>H2K_vmtrap_wait: deferred work first; with nothing pending, VMWAIT and dosched. BKL held.</summary>
    public void VmTrapWait(ThreadContext me)
    {
        Charge(Costs.VmWait);
        var intno = Variant == KernelVariant.Master ? VmDoWorkWithLock(me) : VmDoWork(me, bklHeld: true);
        if (me.Status != ContextStatus.Running)
        {
            return; // KILL stopped it.
        }

        if (intno != -1)
        {
            me.R00 = intno;
            return;
        }

        me.Status = ContextStatus.VmWait;
        if (me.Cpuidx < 64)
        {
            // The C code builds this mask with a 32-bit shift; cpuidx < 32 is what it gets right.
            me.VmBlock.WaitingCpus |= 1UL << (int)me.Cpuidx;
        }

        RunlistRemove(me);
        Dosched(me, me.HThread);
    }

    /// <summary>vmtrap setie: returns the old IE.</summary>
    public void VmTrapSetIe(ThreadContext me, bool enable)
    {
        Charge(Costs.SimpleTrap);
        var old = me.Has(VmStatusBits.Ie);
        me.VmStatus = enable ? me.VmStatus | VmStatusBits.Ie : me.VmStatus & ~VmStatusBits.Ie;
        me.R00 = old ? 1 : 0;
    }

    /// <summary>vmtrap intop GLOBEN / disable for a per-vCPU interrupt (the booter enables CHILDINT and TIME_GUESTINT).</summary>
    public void VmTrapIntEnable(ThreadContext me, int intno, bool enable)
    {
        Charge(Costs.SimpleTrap);
        me.CpuintEnabled = enable
            ? (ushort)(me.CpuintEnabled | (1 << intno))
            : (ushort)(me.CpuintEnabled & ~(1 << intno));
        me.R00 = 0;
    }

    /// <summary>vmtrap return (guest event return): restores IE, as the saved GSSR says.</summary>
    public void VmTrapReturn(ThreadContext me)
    {
        Charge(Costs.SimpleTrap);
        me.VmStatus |= VmStatusBits.Ie;
        me.R00 = 0;

        // A per-vCPU interrupt that became pending during the handler is taken now.
        VmCheckInterrupts(me);
    }

    /// <summary>vmtrap setvec: the guest event vector base.</summary>
    public void VmTrapSetVec(ThreadContext me, long vector)
    {
        Charge(Costs.SimpleTrap);
        me.Gevb = vector;
        me.R00 = 0;
    }
}
