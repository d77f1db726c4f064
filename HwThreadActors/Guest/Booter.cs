using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// The booter (booter/booter.c): the boot VM's one thread. It enables CHILDINT and TIME_GUESTINT,
/// sets IE, configures and boots each child VM of its cluster, then waits on a level-latched
/// anysignal that its ISR sets on CHILDINT. A child is done only when VMOP_STATUS says cpus == 0:
/// then it checks the status against --expect_status and reboots or frees it. There is no timer
/// fallback, so a VM whose num_cpus never reaches 0 leaves it waiting forever: a hang.
/// </summary>
public static class Booter
{
    public const string ProgramName = "booter";
    public const string IsrName = "booter_isr";
    public const long WakeChild = 1;

    /// <summary>The level-latched anysignal the booter waits on; its ISR sets WAKE_CHILD on CHILDINT.</summary>
    public const string WakeSignalName = "booter.wake_sig";

    /// <summary>The booter's own state across its steps: the VMs to configure and the children it watches.</summary>
    private sealed class State(IReadOnlyList<VmDefinition> vms) : IStateFingerprint
    {
        public IReadOnlyList<VmDefinition> Vms { get; } = vms;

        /// <summary>Where the booter is in its VMs and children (the definitions are the system's, the same for every run).</summary>
        public void Fingerprint(ref System.StateHasher h)
        {
            h.Add(NextVm);
            h.Add(NextInRound);
            foreach (var child in Children)
            {
                h.Add(child.Vmidx);
                h.Add(child.BootsLeft);
            }

            h.Add(-1);
            foreach (var child in Round)
            {
                h.Add(child.Vmidx);
                h.Add(child.BootsLeft);
            }
        }

        public int NextVm;

        public List<Child> Children { get; } = new();

        /// <summary>The children as they were when the booter woke (it may reboot and re-append one while going through them).</summary>
        public List<Child> Round = new();

        public int NextInRound;
    }

    private sealed record Child(int Vmidx, VmDefinition Vm, int BootsLeft);

    public static GuestAction Main(GuestThread t, ref GuestFrame f)
    {
        var s = (State?)f.Ref ?? (State)(f.Ref = new State(t.System.Vms.Where(v => v.Cluster == t.ClusterIndex).ToList()));
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, VmTrap(Trap1.SetVec, t.PcOf(IsrName)));
            case 1:
                return f.Then(2, VmTrap(Trap1.IntOp, 1, KernelConstants.VmChildInt));
            case 2:
                return f.Then(3, VmTrap(Trap1.IntOp, 1, KernelConstants.TimeGuestInt));
            case 3:
                return f.Then(4, VmTrap(Trap1.SetIe, 1));
            case 4:
                if (s.NextVm == s.Vms.Count)
                {
                    goto case 20;
                }

                var vm = s.Vms[s.NextVm];
                return f.Then(5, Trap0(Trap0Numbers.Config, vm.MaxCpus, vm.BestPrio, text: vm.Name));
            case 5:
                return Configured(t, ref f, s);
            case 6:
                // A cross-cluster child was booted here; its parent on another cluster watches it.
                s.NextVm++;
                goto case 4;
            case 7:
                s.Children.Add(new Child((int)f.L0, s.Vms[s.NextVm], s.Vms[s.NextVm].Boots - 1));
                s.NextVm++;
                goto case 4;
            case 20:
                return s.Children.Count > 0 ? f.Then(21, GuestLib.AnySignalWait(t.Address(WakeSignalName), WakeChild)) : Done(t, ref f);
            case 21:
                s.Round = s.Children.ToList();
                s.NextInRound = 0;
                goto case 22;
            case 22:
                return s.NextInRound == s.Round.Count ? f.Then(20, Spin(0)) : f.Then(23, Status(s.Round[s.NextInRound], VmOp.StatusStatus));
            case 23:
                f.L1 = t.Result;
                return f.Then(24, Status(s.Round[s.NextInRound], VmOp.StatusCpus));
            case 40:
                return Done(t, ref f);
            default:
                return Watch(t, ref f, s);
        }
    }

    /// <summary>After CONFIG_VMBLOCK_INIT: bind the slot, link a cross-cluster parent, boot.</summary>
    private static GuestAction Configured(GuestThread t, ref GuestFrame f, State s)
    {
        var vm = s.Vms[s.NextVm];
        f.L0 = t.Result;
        if (f.L0 < 0)
        {
            s.NextVm++;
            return f.Then(4, Print($"FAIL: cannot configure VM {vm.Name}"));
        }

        t.BindChild((int)f.L0, vm);
        if (vm.Parent is not null)
        {
            t.LinkRemoteParent((int)f.L0, vm);
            return f.Then(6, Boot(f.L0, vm));
        }

        return f.Then(7, Boot(f.L0, vm));
    }

    /// <summary>One child of the round, once its status (L1) and num_cpus (Result) are read.</summary>
    private static GuestAction Watch(GuestThread t, ref GuestFrame f, State s)
    {
        var child = s.Round[s.NextInRound];
        switch (f.Pc)
        {
            case 24 when t.Result != 0:
                if ((uint)f.L1 == KernelConstants.ThreadFatalError)
                {
                    return f.Then(25, Print($"FAIL: VM {child.Vmidx} fatal error"));
                }

                s.NextInRound++;
                return f.Then(22, Spin(0));
            case 24:
                return f.Then(26, Print($"VM {child.Vmidx} status 0x{f.L1:x}"));
            case 25:
                s.NextInRound++;
                return f.Then(22, Trap0(Trap0Numbers.Angel, GuestLib.AngelSysExit, 1));
            case 26:
                t.ReportChildExit(child.Vmidx, f.L1);

                // Statuses are s32 (H2K_vmblock_t, VMOP_STATUS): compare as the booter's ints do.
                return unchecked((int)f.L1) != unchecked((int)child.Vm.ExpectStatus)
                    ? f.Then(27, Print($"FAIL: VM {child.Vmidx} status 0x{f.L1:x}, expected 0x{child.Vm.ExpectStatus:x}"))
                    : NextBootOrFree(ref f, s, child);
            case 27:
                return NextBootOrFree(ref f, s, child);
            case 28:
                s.Children.Add(child with { Vmidx = (int)t.Returned, BootsLeft = child.BootsLeft - 1 });
                s.NextInRound++;
                return f.Then(22, Spin(0));
            default:
                s.NextInRound++;
                return f.Then(22, Spin(0));
        }
    }

    private static GuestAction NextBootOrFree(ref GuestFrame f, State s, Child child)
    {
        s.Children.Remove(child);
        return child.BootsLeft > 0
            ? f.Then(28, Invoke(RebootRoutine, child.Vmidx, reference: child.Vm))
            : f.Then(29, Trap0(Trap0Numbers.VmOp, VmOp.Free, child.Vmidx));
    }

    /// <summary>Every child is done. The real booter exits here; with several clusters the others may still run, so it reports and parks.</summary>
    private static GuestAction Done(GuestThread t, ref GuestFrame f)
    {
        if (f.Pc != 40)
        {
            t.ReportBooterDone();
        }

        return f.Then(40, GuestLib.FutexWait(t.Address("booter.done"), 0));
    }

    private static GuestAction Status(Child child, int what) => Trap0(Trap0Numbers.VmOp, VmOp.Status, what, child.Vmidx);

    /// <summary>booter_isr: set WAKE_CHILD, re-enable CHILDINT (taking it cleared its enable bit), return.</summary>
    public static GuestAction Isr(GuestThread t, ref GuestFrame f) => f.Pc switch
    {
        0 => f.Then(1, GuestLib.AnySignalSet(t.Address(WakeSignalName), WakeChild)),
        1 => f.Then(2, VmTrap(Trap1.IntOp, 1, KernelConstants.VmChildInt)),
        2 => f.Then(3, VmTrap(Trap1.IntOp, 1, KernelConstants.TimeGuestInt)),
        3 => f.Then(4, VmTrap(Trap1.Return)),
        _ => Return(),
    };

    /// <summary>
    /// --boots: VMOP_BOOT the drained VM again; returns the vmidx it now lives in. On the review
    /// kernel with on-empty=auto-free the VM freed itself at num_cpus 0 (its exit record was just
    /// read), so the boot is refused: collect the record (VMOP_FREE), configure the VM afresh and
    /// boot that. A failure prints FAIL.
    /// </summary>
    private static GuestAction RebootRoutine(GuestThread t, ref GuestFrame f)
    {
        var vm = (VmDefinition)f.Ref!;
        switch (f.Pc)
        {
            case 0:
                f.L0 = f.A0;
                return f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.Boot, t.PcOf(vm.MainProgram), 0x8000, 0, vm.Prio, f.A0));
            case 1 when t.Result >= 0:
                t.ReportBoot((int)f.L0);
                return Return(f.L0);
            case 1:
                return f.Then(2, Trap0(Trap0Numbers.VmOp, VmOp.Free, f.A0));
            case 2:
                return f.Then(3, Trap0(Trap0Numbers.Config, vm.MaxCpus, vm.BestPrio, text: vm.Name));
            case 3 when t.Result < 0:
                return f.Then(5, Print($"FAIL: cannot configure VM {vm.Name} again"));
            case 3:
                f.L0 = t.Result;
                t.RebindChild((int)f.A0, (int)f.L0, vm);
                return f.Then(4, Boot(f.L0, vm));
            case 4:
                return Return(f.L0);
            default:
                return Return(f.A0);
        }
    }

    /// <summary>VMOP_BOOT of a configured VM; a failure prints FAIL.</summary>
    private static GuestAction Boot(long vmidx, VmDefinition vm) => Invoke(BootRoutine, vmidx, reference: vm);

    private static GuestAction BootRoutine(GuestThread t, ref GuestFrame f)
    {
        var vm = (VmDefinition)f.Ref!;
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.Boot, t.PcOf(vm.MainProgram), 0x8000, 0, vm.Prio, f.A0));
            case 1 when t.Result < 0:
                return f.Then(2, Print($"FAIL: cannot boot VM {vm.Name}"));
            case 1:
                t.ReportBoot((int)f.A0);
                return Return();
            default:
                return Return();
        }
    }
}
