using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// Guest routines for a VM that parents VMs on other clusters (the cross-cluster extension): take
/// CHILDINT like the booter does, kill a child with VMOP_KILL_VM on its handle, and wait until each
/// child reports num_cpus == 0 (read from the child's live vmblock), then free it. A child is known
/// to the parent's kernel only once its CHILD_BOOTED message has crossed the interconnect, so
/// calls retry while they return -1.
/// </summary>
public static class Supervisor
{
    private const int KillAttempts = 1_000;

    /// <summary>Guest vector = the booter's ISR (it sets the wake signal), CHILDINT enabled, IE set.</summary>
    public static GuestAction TakeChildInterrupts() => Invoke(TakeChildInterruptsRoutine);

    private static GuestAction TakeChildInterruptsRoutine(GuestThread t, ref GuestFrame f) => f.Pc switch
    {
        0 => f.Then(1, VmTrap(Trap1.SetVec, t.PcOf(Booter.IsrName))),
        1 => f.Then(2, VmTrap(Trap1.IntOp, 1, KernelConstants.VmChildInt)),
        2 => f.Then(3, VmTrap(Trap1.SetIe, 1)),
        _ => Return(),
    };

    /// <summary>VMOP_KILL_VM on a remote child, retried until the parent's kernel knows the child.</summary>
    public static GuestAction KillChild(long handle, long status) => Invoke(KillChildRoutine, handle, status);

    private static GuestAction KillChildRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0 when f.L0 == KillAttempts:
                return f.Then(2, Print($"FAIL: child handle {f.A0} never became known"));
            case 0:
                if (f.L0++ == 0)
                {
                    t.ReportChildTeardownRequest(f.A0);
                }

                return f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.KillVm, f.A0, f.A1));
            case 1:
                return t.Result == 0 ? Return() : f.Then(0, Spin(1_000));
            default:
                return Return();
        }
    }

    /// <summary>Waits for CHILDINTs until every child reports num_cpus == 0, freeing each; prints their statuses.</summary>
    public static GuestAction WaitForChildren(IReadOnlyList<long> handles) => Invoke(WaitForChildrenRoutine, reference: new Waiting(handles));

    private sealed class Waiting(IReadOnlyList<long> handles) : IStateFingerprint
    {
        public void Fingerprint(ref System.StateHasher h)
        {
            h.Add(Next);
            foreach (var handle in Pending)
            {
                h.Add(handle);
            }

            h.Add(-1);
            foreach (var handle in Round)
            {
                h.Add(handle);
            }
        }

        public List<long> Pending { get; } = new(handles);

        public List<long> Round = new();

        public int Next;

        public long Handle => Round[Next];
    }

    private static GuestAction WaitForChildrenRoutine(GuestThread t, ref GuestFrame f)
    {
        var w = (Waiting)f.Ref!;
        switch (f.Pc)
        {
            case 0:
                return w.Pending.Count == 0 ? Return() : f.Then(1, GuestLib.AnySignalWait(t.Address(Booter.WakeSignalName), Booter.WakeChild));
            case 1:
                w.Round = w.Pending.ToList();
                w.Next = 0;
                goto case 2;
            case 2:
                return w.Next == w.Round.Count ? f.Then(0, Spin(0)) : f.Then(3, Trap0(Trap0Numbers.VmOp, VmOp.Status, VmOp.StatusCpus, w.Handle));
            case 3 when t.Result != 0:
                w.Next++;
                goto case 2;
            case 3:
                return f.Then(4, Trap0(Trap0Numbers.VmOp, VmOp.Status, VmOp.StatusStatus, w.Handle));
            case 4:
                f.L0 = t.Result;
                return f.Then(5, Print($"child {w.Handle} status 0x{t.Result:x}"));
            case 5:
                t.ReportRemoteChildExit(w.Handle, f.L0);
                return f.Then(6, Trap0(Trap0Numbers.VmOp, VmOp.Free, w.Handle));
            default:
                w.Pending.Remove(w.Handle);
                w.Next++;
                goto case 2;
        }
    }

    /// <summary>The same routines for C# iterator programs (tests).</summary>
    public static IEnumerable<GuestAction> TakeChildInterrupts(GuestThread t)
    {
        yield return TakeChildInterrupts();
    }

    public static IEnumerable<GuestAction> KillChild(GuestThread t, long handle, long status)
    {
        yield return KillChild(handle, status);
    }

    public static IEnumerable<GuestAction> WaitForChildren(GuestThread t, IReadOnlyList<long> handles)
    {
        yield return WaitForChildren(handles);
    }
}
