using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The VMWORK gate of the blocking primitives (h2-domain.md §5.7, R2). [B]/[P]: VMWORK &amp;&amp; IE, in
/// futex wait and lock_pi only; fires → release the BKL, H2K_vm_do_work, return -1. [M]: VMWORK
/// alone, in futex wait, lock_pi, popup wait and intpool wait; fires → H2K_vm_do_work_withlock
/// with the BKL held, then unlock, -1. Bug vmwork-gate-needs-ie puts [M] back to the old test.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Which primitive is asking: popup and intpool have no gate before [M].</summary>
    internal enum GatedPrimitive
    {
        FutexWait,
        LockPi,
        PopupWait,
        IntpoolWait,
    }

    /// <summary>Runs the gate; true when it fired (the caller returns -1 without blocking).</summary>
    internal bool VmworkGate(ThreadContext me, GatedPrimitive primitive)
    {
        var oldGate = !Variant.HasKillInfrastructure() || (Bugs & KernelBug.VmworkGateNeedsIe) != 0;
        if (oldGate)
        {
            if (primitive is GatedPrimitive.PopupWait or GatedPrimitive.IntpoolWait)
            {
                return false;
            }

            if (!me.Has(VmStatusBits.VmWork | VmStatusBits.Ie))
            {
                return false;
            }
        }
        else if (!me.Has(VmStatusBits.VmWork))
        {
            return false;
        }

        me.R00 = -1;
        if (Variant.HasKillInfrastructure())
        {
            VmDoWorkWithLock(me);
        }
        else
        {
            // [B]/[P] release the BKL first; do_work then runs unlocked. Exact here because nothing
            // in [B]/[P] sets KILL, so this do_work never needs the BKL again.
            VmDoWork(me, bklHeld: false);
        }

        // A KILL stopped the thread inside do_work; otherwise the spurious -1 goes back.
        if (me.Status == ContextStatus.Running)
        {
            me.R00 = -1;
        }

        return true;
    }
}
