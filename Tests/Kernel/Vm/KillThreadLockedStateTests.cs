using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// [M] kill_thread_locked in each of the five live states, with and without IE (kernel/vm/vmop/test
/// "all 5 states with and without IE"; h2-domain.md §7.3): KILL|VMWORK is ORed in and IE left as
/// it was; VMWAIT → waiting bit cleared + ready_append; RUNNING → VM IPI to its hthread;
/// INTBLOCKED → popup_cancel + ready_append; BLOCKED → futex_cancel (r00 = -1) + ready_append;
/// READY → nothing. No check_sanity follows the ready_appends. The kill tears nothing down: the
/// victim is still live and num_cpus unchanged.
/// </summary>
public sealed class KillThreadLockedStateTests
{
    private const VmStatusBits KillMarks = VmStatusBits.Kill | VmStatusBits.VmWork;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Running_target_gets_a_vm_ipi_on_its_hthread(bool ie)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(2);
        SetIe(target, ie);

        bench.Kernel.KillThreadLocked(target);

        AssertMarked(target, ie);
        Assert.Equal(ContextStatus.Running, target.Status);
        Assert.Same(target, bench.Kernel.Runlist[2]);
        Assert.Equal(1UL << 2, bench.Kernel.MaskForIpi);
        Assert.Equal([2], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        Assert.Equal(1, bench.Vm.NumCpus);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ready_target_is_only_marked(bool ie)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Create();
        SetIe(target, ie);
        bench.Effects.Clear();

        bench.Kernel.KillThreadLocked(target);

        AssertMarked(target, ie);
        Assert.Equal(ContextStatus.Ready, target.Status);
        Assert.True(bench.InReadyRing(target));
        Assert.Empty(bench.Effects.Interrupts);
        Assert.Equal(0UL, bench.Kernel.MaskForIpi);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Blocked_target_is_futex_cancelled_with_minus_one_and_readied(bool ie)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var address = KernelBench.Word(2);
        var target = bench.Blocked(address, IeBits(ie));
        bench.Effects.Clear();

        bench.Kernel.KillThreadLocked(target);

        AssertMarked(target, ie);
        Assert.Equal(ContextStatus.Ready, target.Status);
        Assert.Equal(-1, target.R00);
        Assert.Null(bench.Kernel.FutexFirstWaiter(address));
        Assert.True(bench.InReadyRing(target));
        AssertNoCheckSanity(bench);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Vmwait_target_has_its_waiting_bit_cleared_and_is_readied(bool ie)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.VmWaiter(IeBits(ie));

        // vmwait set it with a 32-bit shift (cpuidx 31 sign-extends); the kill clears one bit with a 64-bit one.
        Assert.Equal(KernelActors.Kernel.Int32ShiftMask(target.Cpuidx), bench.Vm.WaitingCpus);
        bench.Effects.Clear();

        bench.Kernel.KillThreadLocked(target);

        AssertMarked(target, ie);
        Assert.Equal(ContextStatus.Ready, target.Status);
        Assert.Equal(0UL, bench.Vm.WaitingCpus & (1UL << (int)target.Cpuidx));
        Assert.True(bench.InReadyRing(target));
        AssertNoCheckSanity(bench);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Intblocked_popup_waiter_is_popup_cancelled_and_readied(bool ie)
    {
        var bench = new KernelBench(KernelVariant.Master);
        const int intno = 20;
        var target = bench.PopupWaiter(intno, IeBits(ie));
        bench.Effects.Clear();

        bench.Kernel.KillThreadLocked(target);

        AssertMarked(target, ie);
        Assert.Equal(ContextStatus.Ready, target.Status);
        Assert.False(bench.Kernel.PopupHandlers.ContainsKey(intno));
        Assert.Equal(-1, target.R00);
        Assert.True(bench.InReadyRing(target));
        AssertNoCheckSanity(bench);
        bench.Kernel.CheckInvariants();
    }

    /// <summary>
    /// R7 (§5.4, §8): kill_thread_locked uses popup_cancel for every INTBLOCKED context. An intpool
    /// waiter has r00 = -1, so popup_cancel writes inthandlers[-1]; the model reports it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Intblocked_intpool_waiter_is_the_r7_hazard_reported_as_inthandlers_bounds(bool ie)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.IntpoolWaiter(IeBits(ie));
        Assert.Equal(-1, target.R00);

        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.KillThreadLocked(target));

        Assert.Equal("inthandlers-bounds", violation.Invariant);
    }

    [Fact]
    public void Dead_target_short_circuits_without_marks_or_messages()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var dead = bench.Vm.Contexts[0];
        Assert.Equal(ContextStatus.Dead, dead.Status);

        bench.Kernel.KillThreadLocked(dead);

        Assert.Equal(ContextStatus.Dead, dead.Status);
        Assert.Equal(VmStatusBits.None, dead.VmStatus);
        Assert.Empty(bench.Effects.Interrupts);
        Assert.Empty(bench.Effects.Notes);
        Assert.Equal(0, bench.Vm.NumCpus);
        bench.Kernel.CheckInvariants();
    }

    private static VmStatusBits IeBits(bool ie) => ie ? VmStatusBits.Ie : VmStatusBits.None;

    private static void SetIe(ThreadContext context, bool ie) => context.VmStatus |= IeBits(ie);

    private static void AssertMarked(ThreadContext target, bool ie)
    {
        Assert.True(target.Has(KillMarks));
        Assert.Equal(ie, target.Has(VmStatusBits.Ie));
    }

    /// <summary>Hthread 0 went idle when the target blocked: a check_sanity would have raised RESCHED_INT.</summary>
    private static void AssertNoCheckSanity(KernelBench bench)
    {
        Assert.NotEqual(0UL, bench.Kernel.WaitMask);
        Assert.Empty(bench.Effects.InterruptsTo(KernelConstants.ReschedInt));
    }
}
