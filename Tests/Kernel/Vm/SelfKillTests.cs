using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// Self-kill on [M] (kernel/vm/vmop/test "self-kill"; h2-domain.md §7.3): VMOP_KILL_THREAD of the
/// caller's own id takes the same path as any kill: the caller is RUNNING, so kill_thread_locked
/// marks it and sends a VM IPI to its own hthread. Nothing is torn down in the trap; the caller
/// dies itself when the IPI is taken, on its first guest instruction after the trap returns, in
/// H2K_vm_do_work_withlock → H2K_thread_stop_withlock(vmblock->status).
/// </summary>
public sealed class SelfKillTests
{
    [Fact]
    public void Kill_thread_of_itself_marks_the_caller_and_sends_a_self_ipi()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Effects.Clear();

        var result = bench.Kernel.VmOpDispatch(me, VmOp.KillThread, me.Id.Raw, 0, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.True(me.Has(VmStatusBits.Kill | VmStatusBits.VmWork));
        Assert.Equal(1UL << 0, bench.Kernel.MaskForIpi);
        Assert.Equal([0], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        Assert.Equal(1, bench.Vm.NumCpus);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void The_self_ipi_handler_stops_the_caller_with_the_vm_status()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var peer = bench.Running(1);
        var me = bench.Running(0);
        bench.Vm.Status = 6;
        Assert.Equal(0, bench.Kernel.VmOpDispatch(me, VmOp.KillThread, me.Id.Raw, 0, 0, 0, 0));
        bench.Effects.Clear();

        bench.VmIpiDo(me, 0);

        Assert.Equal(ContextStatus.Dead, me.Status);
        Assert.True(KernelBench.OnFreeList(me));
        Assert.Null(bench.Kernel.Runlist[0]);
        Assert.Equal(0UL, bench.Kernel.MaskForIpi);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(ContextStatus.Running, peer.Status);

        // It stopped with vmblock->status (6): non-zero, so CHILDINT although a peer lives (§6.4).
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 6L)], bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void A_guest_that_kills_itself_dies_before_its_next_instruction()
    {
        var definition = KernelTestSystems.OneVm(KillsItself);

        var (result, _) = H2Run.Run(definition, KernelVariant.Master);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Equal(0, result.Report.Vms.Single().Status);
        Assert.Contains("test: before", result.Report.Printed);
        Assert.DoesNotContain("test: after", result.Report.Printed);
        Assert.Empty(result.Report.Stranded);
    }

    private static IEnumerable<GuestAction> KillsItself(GuestThread t)
    {
        yield return Print("before");
        yield return Trap0(Trap0Numbers.VmOp, VmOp.KillThread, t.Id.Raw);
        yield return Print("after");
    }
}
