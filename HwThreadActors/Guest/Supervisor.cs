using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// Guest routines for a VM that parents VMs on other clusters (the cross-cluster extension): take
/// CHILDINT like the booter does, kill a child with VMOP_KILL_VM on its handle, and wait until each
/// child reports num_cpus == 0, then free it. A child is known to the parent's kernel only once
/// its CHILD_BOOTED message has crossed the interconnect, so calls retry while they return -1.
/// </summary>
public static class Supervisor
{

    /// <summary>Guest vector = the booter's ISR (it sets the wake signal), CHILDINT enabled, IE set.</summary>
    public static IEnumerable<GuestAction> TakeChildInterrupts(GuestThread t)
    {
        yield return VmTrap(Trap1.SetVec, t.PcOf(Booter.IsrName));
        yield return VmTrap(Trap1.IntOp, 1, KernelConstants.VmChildInt);
        yield return VmTrap(Trap1.SetIe, 1);
    }

    /// <summary>VMOP_KILL_VM on a remote child, retried until the parent's kernel knows the child.</summary>
    public static IEnumerable<GuestAction> KillChild(GuestThread t, long handle, long status)
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            yield return Trap0(Trap0Numbers.VmOp, VmOp.KillVm, handle, status);
            if (t.Result == 0)
            {
                yield break;
            }

            yield return Spin(1_000);
        }

        yield return Print($"FAIL: child handle {handle} never became known");
    }

    /// <summary>Waits for CHILDINTs until every child reports num_cpus == 0, freeing each; prints their statuses.</summary>
    public static IEnumerable<GuestAction> WaitForChildren(GuestThread t, IReadOnlyList<long> handles)
    {
        var pending = new List<long>(handles);
        var wake = t.Address(Booter.WakeSignalName);
        while (pending.Count > 0)
        {
            yield return Call(GuestLib.AnySignalWait(t, wake, Booter.WakeChild));
            foreach (var handle in pending.ToList())
            {
                yield return Trap0(Trap0Numbers.VmOp, VmOp.Status, VmOp.StatusCpus, handle);
                if (t.Result != 0)
                {
                    continue;
                }

                yield return Trap0(Trap0Numbers.VmOp, VmOp.Status, VmOp.StatusStatus, handle);
                yield return Print($"child {handle} status 0x{t.Result:x}");
                t.ReportRemoteChildExit(handle, t.Result);
                yield return Trap0(Trap0Numbers.VmOp, VmOp.Free, handle);
                pending.Remove(handle);
            }
        }
    }
}
