using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_vmop (trap0 28, kernel/vm/vmop, h2-domain.md §3.2, §7.3, §10): BOOT, STATUS, FREE in
/// every variant; KILL_THREAD and KILL_VM in [M]. An op ≥ VMOP_MAX returns -1. The result is
/// left in me.R00. Runs with the BKL held by the trap entry (VMOP_STATUS and the kills take it
/// in C; BOOT's create takes it inside).
/// </summary>
public sealed partial class Kernel
{
    public void VmOpTrap(ThreadContext? me, int op, long a1, long a2, long a3, long a4, long a5)
    {
        Charge(Costs.VmOp);
        if (me is null)
        {
            return;
        }

        me.R00 = VmOpDispatch(me, op, a1, a2, a3, a4, a5);
    }

    public long VmOpDispatch(ThreadContext? me, int op, long a1, long a2, long a3, long a4, long a5)
    {
        if (op < 0 || op >= VmOp.Max(Variant))
        {
            return -1;
        }

        // Cross-cluster extension: a remote child's handle (≥ 64) in the VM argument.
        var remoteArgument = op switch
        {
            VmOp.Status => a2,
            VmOp.Free or VmOp.KillVm => a1,
            _ => 0,
        };
        if (me is not null && remoteArgument >= KernelConstants.MaxVms && RemoteChildren.ContainsKey(remoteArgument))
        {
            return op == VmOp.Status ? VmOpRemote(me, op, a2, a1) : VmOpRemote(me, op, a1, a2);
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

    private static bool IsParent(ThreadContext me, VmBlock vm) => vm.Parent.Vmidx == me.VmBlock.Vmidx && vm.Parent != ThreadId.None;

    private long VmOpBoot(ThreadContext? me, long pc, long sp, long arg, int prio, uint vmidx)
    {
        var vm = VmBlockOf(vmidx);
        if (me is null || vm is null || !IsParent(me, vm) || vm.NumCpus != 0)
        {
            return -1;
        }

        AssertNotFreed(vm, "VMOP_BOOT");
        return ThreadCreateNoSquash(pc, sp, arg, prio, vm, creator: null);
    }

    private long VmOpStatus(ThreadContext? me, int what, uint vmidx)
    {
        if (me is null)
        {
            return -1;
        }

        var vm = vmidx == VmOp.StatusVmidxSelf ? me.VmBlock : VmBlockOf(vmidx);
        if (vm is null || !IsSelfOrParent(me, vm))
        {
            return -1;
        }

        AssertNotFreed(vm, "VMOP_STATUS");
        return what == VmOp.StatusCpus ? vm.NumCpus : vm.Status;
    }

    private long VmOpFree(ThreadContext? me, uint vmidx)
    {
        var vm = VmBlockOf(vmidx);
        if (me is null || vm is null || !IsParent(me, vm) || vm.NumCpus != 0)
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

        var vm = VmBlockOf(id.Vmidx);
        if (vm is null || vm.Freed)
        {
            return 0; // "blindly clean up"
        }

        if (!IsSelfOrParent(me, vm) || id.Cpuidx >= vm.MaxCpus)
        {
            return -1;
        }

        KillThreadLocked(vm.Contexts[id.Cpuidx]);
        return 0;
    }

    /// <summary>
    /// VMOP_KILL_VM: SELF (0) is the caller's VM; vm ≥ 64 → -1; freed → 0; same permission rule.
    /// Stamps status first, then kills every context including the caller (bug
    /// killvm-skips-caller skips it, R4).
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

        var vm = vmidx == VmOp.KillVmSelf ? me.VmBlock : VmBlockOf(vmidx);
        if (vm is null || vm.Freed)
        {
            return 0;
        }

        if (!IsSelfOrParent(me, vm))
        {
            return -1;
        }

        vm.Status = status;
        var skipCaller = (Bugs & KernelBug.KillvmSkipsCaller) != 0;
        foreach (var context in vm.Contexts)
        {
            if (skipCaller && context == me)
            {
                continue;
            }

            KillThreadLocked(context);
        }

        return 0;
    }
}
