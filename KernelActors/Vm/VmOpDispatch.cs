using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_vmop (trap0 28, kernel/vm/vmop/vmop.ref.c, h2-domain.md §3.2, §7.3, §10): BOOT, STATUS,
/// FREE in every variant; KILL_THREAD and KILL_VM in [M]. An op ≥ VMOP_MAX returns -1. The result
/// is left in me.R00. Which ops hold the BKL follows the C code (<see cref="EntryTakesBkl"/>): the
/// kills and [M]'s STATUS take it, BOOT takes it inside thread create, FREE takes none. A slot that
/// is NULL is "gone"; a slot still pointing at a freed vmblock is dereferenced as the C code
/// dereferences it: a use-after-free.
/// </summary>
public sealed partial class Kernel
{
    internal void VmOpTrap(ThreadContext? me, int op, long a1, long a2, long a3, long a4, long a5)
    {
        Charge(Costs.VmOpCycles);
        if (me is null)
        {
            return;
        }

        me.R00 = VmOpDispatch(me, op, a1, a2, a3, a4, a5);
    }

    internal long VmOpDispatch(ThreadContext? me, int op, long a1, long a2, long a3, long a4, long a5)
    {
        if (op < 0 || op >= VmOp.Max(Variant))
        {
            return -1;
        }

        if (me is not null && IsRemoteVmOp(op, a1, a2))
        {
            return op == VmOp.Status ? VmOpRemote(me, op, a2, a1) : VmOpRemote(me, op, a1, a2);
        }

        if (Variant == KernelVariant.Review && me is not null && ExitRecordOp(me, op, op == VmOp.Status ? a2 : a1, a1) is { } answered)
        {
            return answered;
        }

        return op switch
        {
            VmOp.Boot => VmOpBoot(me, a1, a2, a3, (int)a4, (uint)a5),
            VmOp.Status => VmOpStatus(me, (int)a1, (uint)a2),
            VmOp.Free => VmOpFree(me, (uint)a1),
            VmOp.KillThread => VmOpKillThread(me, new ThreadId((uint)a1)),
            _ => VmOpKillVm(me, (uint)a1, a2),
        };
    }

    /// <summary>The caller may act on <paramref name="vm"/>: it is in it, or its VM configured it.</summary>
    private static bool IsSelfOrParent(ThreadContext me, VmBlock vm) =>
        vm.Vmidx == me.VmBlock.Vmidx || vm.Parent.Vmidx == me.VmBlock.Vmidx;

    private static bool IsParent(ThreadContext me, VmBlock vm) => vm.Parent.Vmidx == me.VmBlock.Vmidx;

    /// <summary>vmblocks[vm] for a VMOP: null when out of range or NULL; a freed block is a use-after-free.</summary>
    private VmBlock? SlotFor(uint vmidx, string path)
    {
        var vm = VmBlockOf(vmidx);
        if (vm is not null)
        {
            AssertNotFreed(vm, path);
        }

        return vm;
    }

    private long VmOpBoot(ThreadContext? me, long pc, long sp, long arg, int prio, uint vmidx)
    {
        var vm = SlotFor(vmidx, "VMOP_BOOT");
        if (vm is null || (me is not null && !IsParent(me, vm)) || vm.NumCpus > 0)
        {
            return -1;
        }

        return ThreadCreateNoSquash(pc, sp, arg, prio, vm, creator: me);
    }

    /// <summary>VMOP_STATUS: [K]/[M] allow SELF (0) and take the BKL; [B]/[P] only a child, without it.</summary>
    private long VmOpStatus(ThreadContext? me, int what, uint vmidx)
    {
        if (me is null)
        {
            return -1;
        }

        var self = Variant.HasKillInfrastructure() && vmidx == VmOp.StatusVmidxSelf;
        var vm = self ? me.VmBlock : SlotFor(vmidx, "VMOP_STATUS");
        if (vm is null || (Variant.HasKillInfrastructure() ? !IsSelfOrParent(me, vm) : !IsParent(me, vm)))
        {
            return -1;
        }

        return what switch
        {
            VmOp.StatusStatus => vm.Status,
            VmOp.StatusCpus => vm.NumCpus,
            _ => -1,
        };
    }

    private long VmOpFree(ThreadContext? me, uint vmidx)
    {
        var vm = SlotFor(vmidx, "VMOP_FREE");
        if (vm is null || (me is not null && !IsParent(me, vm)) || vm.NumCpus > 0)
        {
            return -1;
        }

        FreeVmBlock(vm);
        VmBlocks[vmidx] = null;
        return 0;
    }

    /// <summary>VMOP_KILL_THREAD: me NULL → -1; VM gone → 0; not self/parent → -1; cpuidx out of range → -1.</summary>
    private long VmOpKillThread(ThreadContext? me, ThreadId id)
    {
        if (me is null)
        {
            return -1;
        }

        var vm = SlotFor(id.Vmidx, "VMOP_KILL_THREAD");
        if (vm is null)
        {
            return 0; // "blindly clean up"
        }

        if (!IsSelfOrParent(me, vm) || id.Cpuidx > (uint)(vm.MaxCpus - 1))
        {
            return -1;
        }

        KillThreadLocked(vm.Contexts[id.Cpuidx]);
        return 0;
    }

    /// <summary>
    /// VMOP_KILL_VM: SELF (0) is the caller's VM; vm ≥ 64 → -1; a NULL slot → 0; same permission
    /// rule. Bug killvm-skips-caller skips the caller (R4). [V] marks the VM dying first.
    /// </summary>
    private long VmOpKillVm(ThreadContext? me, uint vmidx, long status)
    {
        if (me is null)
        {
            return -1;
        }

        if (vmidx != VmOp.KillVmSelf && vmidx >= KernelConstants.MaxVms)
        {
            return -1;
        }

        var vm = vmidx == VmOp.KillVmSelf ? me.VmBlock : SlotFor(vmidx, "VMOP_KILL_VM");
        if (vm is null)
        {
            return 0;
        }

        if (!IsSelfOrParent(me, vm))
        {
            return -1;
        }

        KillVmLocked(vm, status, (Bugs & KernelBug.KillvmSkipsCaller) != 0 ? me : null);
        return 0;
    }

    /// <summary>
    /// The locked body of H2K_vmop_kill_vm: stamp the status first, then kill_thread_locked every
    /// slot 0..max_cpus-1 (a DEAD slot costs one loop iteration), including the caller.
    /// </summary>
    private void KillVmLocked(VmBlock vm, long status, ThreadContext? skip)
    {
        if (Variant == KernelVariant.Review)
        {
            // [V] "mark the VM as being killed": read by thread create (refuse-create), cleared at num_cpus 0.
            vm.Dying = true;
        }

        vm.Status = unchecked((int)status);
        foreach (var context in vm.Contexts)
        {
            Charge(Costs.SlotScanCycles);
            if (context != skip)
            {
                KillThreadLocked(context);
            }
        }
    }
}
