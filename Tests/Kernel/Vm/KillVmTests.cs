using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// VMOP_KILL_VM on [M] (kernel/vm/vmop/test "KILL_VM with SELF and status stamping", "caller-kill";
/// h2-domain.md §7.3, §8 R4): take the BKL, stamp vmblock->status first, kill_thread_locked every
/// context including the caller. Each victim later stops itself with vmblock->status, so a
/// non-zero status posts CHILDINT on every stop and status 0 only on the last. The stamp is not
/// sticky. Bug killvm-skips-caller skips the caller (R4).
/// </summary>
public sealed class KillVmTests
{
    private const VmStatusBits KillMarks = VmStatusBits.Kill | VmStatusBits.VmWork;

    [Fact]
    public void Self_kill_vm_stamps_the_status_and_marks_every_context_including_the_caller()
    {
        var (bench, me, runningPeer, blockedPeer, readyPeer) = FourContexts(KernelBug.None);

        var result = bench.Kernel.VmOpDispatch(me, VmOp.KillVm, VmOp.KillVmSelf, 7, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.Equal(7, bench.Vm.Status);
        Assert.All([me, runningPeer, blockedPeer, readyPeer], c => Assert.True(c.Has(KillMarks)));

        // RUNNING ones (the caller included) are owed a VM IPI: both hthreads are in mask_for_ipi and
        // VM_IPI_INT is steered at them and raised (one global interrupt; its handler fans it out, §6.3).
        Assert.Equal(0b11UL, bench.Kernel.MaskForIpi);
        Assert.Equal(bench.Kernel.AllHThreadsMask & ~0b11UL, bench.Kernel.IAssign[KernelConstants.VmIpiInt]);
        Assert.NotEmpty(bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        Assert.Equal(ContextStatus.Ready, blockedPeer.Status);
        Assert.Equal(-1, blockedPeer.R00);
        Assert.Equal(ContextStatus.Ready, readyPeer.Status);

        // Nothing is torn down by the kill itself.
        Assert.Equal(4, bench.Vm.NumCpus);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void With_killvm_skips_caller_the_caller_is_neither_marked_nor_interrupted()
    {
        var (bench, me, runningPeer, blockedPeer, readyPeer) = FourContexts(KernelBug.KillvmSkipsCaller);

        var result = bench.Kernel.VmOpDispatch(me, VmOp.KillVm, VmOp.KillVmSelf, 7, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.Equal(7, bench.Vm.Status);
        Assert.Equal(VmStatusBits.None, me.VmStatus);
        Assert.All([runningPeer, blockedPeer, readyPeer], c => Assert.True(c.Has(KillMarks)));
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        Assert.Equal(0b10UL, bench.Kernel.MaskForIpi);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void A_parent_kill_vm_marks_every_child_context_and_not_itself()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var running = bench.Running(1);
        var ready = bench.Create();

        var result = bench.Kernel.VmOpDispatch(bench.Booter, VmOp.KillVm, bench.Vm.Vmidx, 5, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.Equal(5, bench.Vm.Status);
        Assert.True(running.Has(KillMarks));
        Assert.True(ready.Has(KillMarks));
        Assert.Equal(VmStatusBits.None, bench.Booter.VmStatus);
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    public void Every_victim_stops_itself_with_the_stamped_status(long status)
    {
        var (bench, me, runningPeer, _, _) = FourContexts(KernelBug.None);
        Assert.Equal(0, bench.Kernel.VmOpDispatch(me, VmOp.KillVm, VmOp.KillVmSelf, status, 0, 0, 0));
        bench.Effects.Clear();

        // The caller's self-IPI: it stops, and hthread 0's dosched picks the two readied victims,
        // each of which dies in the switch-in hook. Then hthread 1 takes its IPI.
        bench.VmIpiDo(me, 0);
        Assert.Equal(1, bench.Vm.NumCpus);

        // Hthread 0's handler cleared its bit and re-raised the IPI, steered at hthread 1 only.
        Assert.Equal(0b10UL, bench.Kernel.MaskForIpi);
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        bench.VmIpiDo(runningPeer, 1);

        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.All(bench.Vm.Contexts, c => Assert.Equal(ContextStatus.Dead, c.Status));
        var expected = status != 0 ? 4 : 1;
        Assert.Equal(expected, bench.Effects.ChildInts.Count);
        Assert.All(bench.Effects.ChildInts, c => Assert.Equal((bench.Vm.Vmidx, bench.Booter.Id, status), c));

        // The parent is alive, so the block waits for its VMOP_FREE.
        Assert.False(bench.Vm.Freed);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void A_voluntary_stop_overwrites_the_stamp_and_later_victims_carry_it()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var peer = bench.Running(1);
        var me = bench.Running(0);
        var ready = bench.Create();
        Assert.Equal(0, bench.Kernel.VmOpDispatch(me, VmOp.KillVm, VmOp.KillVmSelf, 7, 0, 0, 0));
        bench.Effects.Clear();

        // The peer reaches trap0 5 with status 0 before its IPI is taken; its hthread then
        // switches to the readied victim, which dies in the switch-in hook.
        bench.Kernel.ThreadStopWithLock(0, peer);
        Assert.Equal(0, bench.Vm.Status);
        Assert.Equal(ContextStatus.Dead, ready.Status);
        bench.VmIpiDo(me, 0);

        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 0L)], bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void A_guest_kill_vm_self_with_a_status_ends_the_vm_with_that_status()
    {
        var definition = KernelTestSystems.OneVm(
            KillsItsVm,
            expectStatus: 3,
            extra: d => d.Program("worker", KernelTestSystems.BlockForever));

        var (result, _) = H2Run.Run(definition, KernelVariant.Master);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Equal(3, result.Report.Vms.Single().Status);
        Assert.Empty(result.Report.Stranded);
        Assert.DoesNotContain("test: after", result.Report.Printed);
        Assert.DoesNotContain(result.Report.Printed, line => line.Contains("FAIL", StringComparison.Ordinal));
    }

    private static IEnumerable<GuestAction> KillsItsVm(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("worker"), 0);
        yield return Spin(5_000);
        yield return Trap0(Trap0Numbers.VmOp, VmOp.KillVm, VmOp.KillVmSelf, 3);
        yield return Print("after");
    }

    /// <summary>The caller RUNNING on hthread 0, a peer RUNNING on 1, one BLOCKED in a futex, one READY.</summary>
    private static (KernelBench Bench, ThreadContext Me, ThreadContext RunningPeer, ThreadContext BlockedPeer, ThreadContext ReadyPeer) FourContexts(KernelBug bugs)
    {
        var bench = new KernelBench(KernelVariant.Master, bugs);
        var blocked = bench.Blocked(KernelBench.Word(3), hthread: 2);
        var running = bench.Running(1);
        var me = bench.Running(0);
        var ready = bench.Create();
        bench.Effects.Clear();
        return (bench, me, running, blocked, ready);
    }
}
