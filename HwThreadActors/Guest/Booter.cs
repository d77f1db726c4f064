using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// The booter (booter/booter.c, h2-domain.md §6.5): the boot VM's one thread. It enables CHILDINT
/// and TIME_GUESTINT, sets IE, configures and boots each child VM of its cluster, then waits on a
/// level-latched anysignal that its ISR sets on CHILDINT. A child is done only when VMOP_STATUS
/// says cpus == 0: then it checks the status against --expect_status and reboots or frees it. There
/// is no timer fallback, so a VM whose num_cpus never reaches 0 leaves it waiting forever: a hang.
/// </summary>
public static class Booter
{
    public const string ProgramName = "booter";
    public const string IsrName = "booter_isr";
    public const long WakeChild = 1;
    /// <summary>The level-latched anysignal the booter waits on; its ISR sets WAKE_CHILD on CHILDINT.</summary>
    public const string WakeSignalName = "booter.wake_sig";

    public static IEnumerable<GuestAction> Main(GuestThread t)
    {
        var wake = t.Address(WakeSignalName);
        yield return VmTrap(Trap1.SetVec, t.PcOf(IsrName));
        yield return VmTrap(Trap1.IntOp, 1, KernelConstants.VmChildInt);
        yield return VmTrap(Trap1.IntOp, 1, KernelConstants.TimeGuestInt);
        yield return VmTrap(Trap1.SetIe, 1);

        var children = new List<(int Vmidx, VmDefinition Vm, int BootsLeft)>();
        foreach (var vm in t.System.Vms.Where(v => v.Cluster == t.ClusterIndex))
        {
            yield return Trap0(Trap0Numbers.Config, vm.MaxCpus, vm.BestPrio, text: vm.Name);
            var vmidx = (int)t.Result;
            if (vmidx < 0)
            {
                yield return Print($"FAIL: cannot configure VM {vm.Name}");
                continue;
            }

            t.BindChild(vmidx, vm);
            if (vm.Parent is not null)
            {
                // Cross-cluster child: booted here, watched by its parent on another cluster.
                t.LinkRemoteParent(vmidx, vm);
                yield return Call(Boot(t, vm, vmidx));
                continue;
            }

            yield return Call(Boot(t, vm, vmidx));
            children.Add((vmidx, vm, vm.Boots - 1));
        }

        while (children.Count > 0)
        {
            yield return Call(GuestLib.AnySignalWait(t, wake, WakeChild));
            foreach (var child in children.ToList())
            {
                yield return Trap0(Trap0Numbers.VmOp, VmOp.Status, VmOp.StatusStatus, child.Vmidx);
                var status = t.Result;
                yield return Trap0(Trap0Numbers.VmOp, VmOp.Status, VmOp.StatusCpus, child.Vmidx);
                var cpus = t.Result;
                if (cpus != 0)
                {
                    if ((uint)status == KernelConstants.ThreadFatalError)
                    {
                        yield return Print($"FAIL: VM {child.Vmidx} fatal error");
                        yield return Trap0(Trap0Numbers.Angel, GuestLib.AngelSysExit, 1);
                    }

                    continue;
                }

                yield return Print($"VM {child.Vmidx} status 0x{status:x}");
                t.ReportChildExit(child.Vmidx, status);
                // Statuses are s32 (H2K_vmblock_t, VMOP_STATUS): compare as the booter's ints do.
                if (unchecked((int)status) != unchecked((int)child.Vm.ExpectStatus))
                {
                    yield return Print($"FAIL: VM {child.Vmidx} status 0x{status:x}, expected 0x{child.Vm.ExpectStatus:x}");
                }

                children.Remove(child);
                if (child.BootsLeft > 0)
                {
                    yield return Call(Boot(t, child.Vm, child.Vmidx));
                    children.Add((child.Vmidx, child.Vm, child.BootsLeft - 1));
                }
                else
                {
                    yield return Trap0(Trap0Numbers.VmOp, VmOp.Free, child.Vmidx);
                }
            }
        }

        // Every child is done. The real booter exits here, ending the simulation; with several
        // clusters the others may still run, so this one reports and parks, and the run ends
        // when no cluster has anything left to do.
        t.ReportBooterDone();
        while (true)
        {
            yield return GuestLib.FutexWait(t.Address("booter.done"), 0);
        }
    }

    /// <summary>booter_isr: set WAKE_CHILD, re-enable CHILDINT (taking it cleared its enable bit), return.</summary>
    public static IEnumerable<GuestAction> Isr(GuestThread t)
    {
        yield return Call(GuestLib.AnySignalSet(t, t.Address(WakeSignalName), WakeChild));
        yield return VmTrap(Trap1.IntOp, 1, KernelConstants.VmChildInt);
        yield return VmTrap(Trap1.IntOp, 1, KernelConstants.TimeGuestInt);
        yield return VmTrap(Trap1.Return);
    }

    private static IEnumerable<GuestAction> Boot(GuestThread t, VmDefinition vm, int vmidx)
    {
        yield return Trap0(Trap0Numbers.VmOp, VmOp.Boot, t.PcOf(vm.MainProgram), 0x8000, 0, vm.Prio, vmidx);
        if (t.Result < 0)
        {
            yield return Print($"FAIL: cannot boot VM {vm.Name}");
            yield break;
        }

        t.ReportBoot(vmidx);
    }
}
