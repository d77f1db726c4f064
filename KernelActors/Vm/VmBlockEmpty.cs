using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// [V] the review kernel's end of a VM (docs/designs.md): what H2K_thread_stop_withlock does after a
/// vCPU's context is freed, in place of [M]'s inline CHILDINT rule (kernel/thread/stop/stop.ref.c).
/// While vCPUs remain, [M]'s rule is kept as it is (a non-zero stop still signals a live parent).
/// At num_cpus 0 the kill is over (dying is cleared) and the on-empty policy decides:
/// signal-parent is [M]'s rule (CHILDINT to a live parent, which frees with VMOP_FREE; no live
/// parent: free, slot kept); auto-free frees the vmblock, NULLs its slot, and leaves an exit record
/// (vmidx → status) in the parent's vmblock before the CHILDINT, so nothing is lost: the record is
/// written in the same critical section as the free, CHILDINT is only the doorbell (coalescing
/// loses no record, the parent reads every child's record), VMOP_STATUS answers from it and
/// VMOP_FREE clears it. BKL held.
/// </summary>
public sealed partial class Kernel
{
    internal void VmBlockEmptyLocked(VmBlock vm)
    {
        AssertBklHeld("H2K_vmblock_empty_locked");
        if (vm.NumCpus != 0)
        {
            ChildIntRule(vm);
            return;
        }

        vm.Dying = false;
        if (Policies.OnEmpty == OnEmptyPolicy.SignalParent)
        {
            ChildIntRule(vm);
            return;
        }

        Charge(Costs.ExitRecordCycles);
        if (vm.RemoteParent is { } remote)
        {
            FreeVmBlock(vm);
            VmBlocks[vm.Vmidx] = null;
            if (remote.Alive)
            {
                effects.SendRemote(vm, remote.Cluster, remote.Vmidx, RemoteMessage.ChildExited, vm.Vmidx, vm.Status, 0);
            }

            return;
        }

        var parentAlive = ParentAlive(vm);
        if (VmBlockOf(vm.Parent.Vmidx) is { Freed: false } parentVm)
        {
            parentVm.ExitRecords[vm.Vmidx] = vm.Status;
        }

        FreeVmBlock(vm);
        VmBlocks[vm.Vmidx] = null;
        if (parentAlive)
        {
            NotifyParent(vm);
        }
    }

    /// <summary>A remote child freed itself: its record lands in the parent's vmblock (mailbox handler, BKL held).</summary>
    private void RecordRemoteChildExit(int parentVmidx, long handle, long status)
    {
        if (VmBlockOf((uint)parentVmidx) is { } parentVm)
        {
            AssertNotFreed(parentVm, "exit record from a remote child");
            parentVm.ExitRecords[handle] = unchecked((int)status);
        }
    }

    /// <summary>
    /// [V] VMOP_STATUS, VMOP_FREE and VMOP_KILL_VM on a child that has an exit record in the caller's
    /// VM: STATUS answers from the record (cpus 0, the status), FREE clears it, KILL_VM finds the
    /// child gone (0). Null when there is no record (the op goes on as in [M]).
    /// </summary>
    private long? ExitRecordOp(ThreadContext me, int op, long handle, long what)
    {
        if (handle <= 0 || !me.VmBlock.ExitRecords.TryGetValue(handle, out var status))
        {
            return null;
        }

        switch (op)
        {
            case VmOp.Status:
                return what switch
                {
                    VmOp.StatusStatus => status,
                    VmOp.StatusCpus => 0,
                    _ => -1,
                };
            case VmOp.Free:
                me.VmBlock.ExitRecords.Remove(handle);
                return 0;
            case VmOp.KillVm:
                return 0;
            default:
                return null;
        }
    }

    /// <summary>[V]: the configuring thread's VM still holds an exit record for <paramref name="slot"/>.</summary>
    private bool HoldsExitRecord(ThreadContext? me, int slot) =>
        Variant == KernelVariant.Review && me is not null && me.VmBlock.ExitRecords.ContainsKey(slot);
}
