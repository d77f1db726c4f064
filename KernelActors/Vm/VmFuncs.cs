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
    internal void VmTrapWait(ThreadContext me)
    {
        Charge(Costs.VmWaitCycles);
        var intno = Variant.HasKillInfrastructure() ? VmDoWorkWithLock(me) : VmDoWork(me, bklHeld: true);
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
            me.VmBlock.WaitingCpus |= Int32ShiftMask(me.Cpuidx);
        }

        RunlistRemove(me);
        Dosched(me, me.HThread);
    }

    /// <summary>vmtrap setie: returns the old IE.</summary>
    internal void VmTrapSetIe(ThreadContext me, bool enable)
    {
        Charge(Costs.SimpleTrapCycles);
        var old = me.Has(VmStatusBits.Ie);
        me.VmStatus = enable ? me.VmStatus | VmStatusBits.Ie : me.VmStatus & ~VmStatusBits.Ie;
        me.R00 = old ? 1 : 0;
    }

    /// <summary>vmtrap intop GLOBEN / disable for a per-vCPU interrupt (the booter enables CHILDINT and TIME_GUESTINT).</summary>
    internal void VmTrapIntEnable(ThreadContext me, int intno, bool enable)
    {
        Charge(Costs.SimpleTrapCycles);
        me.CpuintEnabled = enable
            ? (ushort)(me.CpuintEnabled | (1 << intno))
            : (ushort)(me.CpuintEnabled & ~(1 << intno));
        me.R00 = 0;
    }

    /// <summary>vmtrap return (guest event return): restores IE, as the saved GSSR says.</summary>
    internal void VmTrapReturn(ThreadContext me)
    {
        Charge(Costs.SimpleTrapCycles);
        me.VmStatus |= VmStatusBits.Ie;
        me.R00 = 0;

        // A per-vCPU interrupt that became pending during the handler is taken now.
        VmCheckInterrupts(me);
    }

    /// <summary>vmtrap setvec: the guest event vector base.</summary>
    internal void VmTrapSetVec(ThreadContext me, long vector)
    {
        Charge(Costs.SimpleTrapCycles);
        me.Gevb = vector;
        me.R00 = 0;
    }

    /// <summary>
    /// vmfuncs.ref.c's `waiting_cpus |= (0x1 &lt;&lt; cpuidx)`: an int shifted, then widened to the 64-bit
    /// mask. For cpuidx 31 the int is negative and sign-extends (bits 31..63 set); for 32..63 the
    /// shift is out of range for an int, and Hexagon's register shift (asl) yields 0 for amounts of
    /// 32 and more, so nothing is set. The clears (vmint, kill, reap) use a 64-bit shift and are exact.
    /// </summary>
    internal static ulong Int32ShiftMask(uint cpuidx) => cpuidx < 32 ? unchecked((ulong)(long)(1 << (int)cpuidx)) : 0;
}
