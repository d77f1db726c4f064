using System.Numerics;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// VM IPI (kernel/vm/vmipi, h2-domain.md §6.3): send ORs the target hthread into mask_for_ipi,
/// steers VM_IPI_INT there and raises it; the handler clears its bit, re-steers and re-raises for
/// the rest (one IPI fans out), then runs the deferred work on whatever context runs here.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>H2K_vm_ipi_send_withlock: only if dest is RUNNING.</summary>
    internal void VmIpiSendWithLock(ThreadContext dest, bool killDelivery = false)
    {
        AssertBklHeld("H2K_vm_ipi_send_withlock");
        if (dest.Status != ContextStatus.Running)
        {
            return;
        }

        MaskForIpi |= 1UL << dest.HThread;
        Iassignw(KernelConstants.VmIpiInt, ~MaskForIpi);
        Swi(KernelConstants.VmIpiInt, killDelivery);
    }

    /// <summary>
    /// H2K_vm_ipi_do (kernel/vm/vmipi/vmipi.ref.c), with me = the context running on the
    /// interrupted hthread (or null). Steps 1–2 run when the interrupt is taken, without the BKL:
    /// ciad, clear my bit in mask_for_ipi, re-steer to the remaining bits and re-raise if any
    /// remain, so the fan-out never waits for the lock. Step 3, only when a context runs here: [M]
    /// takes the BKL for H2K_vm_do_work_withlock (a follow-up section of this hthread); [B]/[P] run
    /// H2K_vm_do_work without it, in this section.
    /// </summary>
    internal void VmIpiDo(ThreadContext? me, int hthread)
    {
        Charge(Costs.VmIpiDoCycles);
        MaskForIpi &= ~(1UL << hthread);
        Iassignw(KernelConstants.VmIpiInt, ~MaskForIpi);
        if (MaskForIpi != 0)
        {
            Swi(KernelConstants.VmIpiInt);
        }

        if (me is null)
        {
            return;
        }

        if (Variant.HasKillInfrastructure())
        {
            FollowUp = KernelEntry.Internal(InternalPath.VmIpiWork);
        }
        else
        {
            VmDoWork(me, bklHeld: false);
        }
    }

    /// <summary>The hthreads a VM IPI is still owed to, lowest first (for diagnostics).</summary>
    internal IEnumerable<int> IpiTargets()
    {
        var mask = MaskForIpi;
        while (mask != 0)
        {
            yield return BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
        }
    }
}
