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
    public void VmIpiSendWithLock(ThreadContext dest, bool killDelivery = false)
    {
        if (dest.Status != ContextStatus.Running)
        {
            return;
        }

        MaskForIpi |= 1UL << dest.HThread;
        Iassignw(KernelConstants.VmIpiInt, ~MaskForIpi);
        Swi(KernelConstants.VmIpiInt, killDelivery);
    }

    /// <summary>Does the VM-IPI handler need the BKL? [M] takes it; [B]/[P] run do_work without it.</summary>
    public bool VmIpiHandlerTakesBkl => Variant == KernelVariant.Master;

    /// <summary>H2K_vm_ipi_do, with me = the context running on the interrupted hthread (or null).</summary>
    public void VmIpiDo(ThreadContext? me, int hthread)
    {
        Charge(Costs.VmDoWork);

        // ciad; clear my bit; re-steer to the rest and re-raise if any remain.
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

        if (Variant == KernelVariant.Master)
        {
            VmDoWorkWithLock(me, fromIpiHandler: true);
        }
        else
        {
            VmDoWork(me, bklHeld: false);
        }
    }

    /// <summary>The hthreads a VM IPI is still owed to, lowest first (for diagnostics).</summary>
    public IEnumerable<int> IpiTargets()
    {
        var mask = MaskForIpi;
        while (mask != 0)
        {
            yield return BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
        }
    }
}
