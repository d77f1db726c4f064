using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Thread;

/// <summary>
/// [P] reap_one_locked per state (h2-domain.md §7.2 pass 1 table, §3.4): BLOCKED → cancel timer,
/// futex_cancel, free; INTBLOCKED → cancel timer, intpool_cancel, free; READY → ready_remove,
/// cancel timer, free; VMWAIT → clear the waiting bit, cancel timer, free; DEAD and RUNNING →
/// skipped, returning 0. "Free" = ASID dec, clear (DEAD), push on the free list, num_cpus--, and
/// the function returns 1.
/// </summary>
public sealed class ReapOneLockedTests
{
    [Fact]
    public void Blocked_context_is_futex_cancelled_its_timer_cancelled_then_freed()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var address = KernelBench.Word(4);
        var target = bench.Running(0);
        bench.Kernel.TimerTrap(target, KernelActors.Kernel.TimerDeltaTimeout, 50_000);
        Assert.Single(bench.Kernel.Timeouts);
        bench.Kernel.FutexWait(target, address, 0);
        Assert.Equal(ContextStatus.Blocked, target.Status);

        var reaped = bench.Kernel.ReapOneLocked(target);

        Assert.Equal(1, reaped);
        AssertFreed(bench, target);
        Assert.Null(bench.Kernel.FutexFirstWaiter(address));
        Assert.False(bench.InFutexHash(target));
        Assert.Empty(bench.Kernel.Timeouts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Intblocked_intpool_waiter_is_intpool_cancelled_then_freed()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var target = bench.IntpoolWaiter();
        Assert.Same(target, bench.Vm.Intpool);

        var reaped = bench.Kernel.ReapOneLocked(target);

        Assert.Equal(1, reaped);
        AssertFreed(bench, target);
        Assert.Null(bench.Vm.Intpool);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Ready_context_is_ready_removed_then_freed()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var target = bench.Create();

        var reaped = bench.Kernel.ReapOneLocked(target);

        Assert.Equal(1, reaped);
        AssertFreed(bench, target);
        Assert.False(bench.InReadyRing(target));
        Assert.Equal(KernelConstants.MaxPrios, bench.Kernel.ReadyBestPrio());
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Vmwait_context_has_its_waiting_bit_cleared_then_is_freed()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var target = bench.VmWaiter();
        Assert.Equal(KernelActors.Kernel.Int32ShiftMask(target.Cpuidx), bench.Vm.WaitingCpus);

        var reaped = bench.Kernel.ReapOneLocked(target);

        Assert.Equal(1, reaped);
        AssertFreed(bench, target);
        Assert.Equal(0UL, bench.Vm.WaitingCpus & (1UL << (int)target.Cpuidx));
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Running_context_is_skipped_returning_zero()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var target = bench.Running(1);

        var reaped = bench.Kernel.ReapOneLocked(target);

        Assert.Equal(0, reaped);
        Assert.Equal(ContextStatus.Running, target.Status);
        Assert.Same(target, bench.Kernel.Runlist[1]);
        Assert.Equal(1, bench.Vm.NumCpus);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Dead_context_is_skipped_returning_zero()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var live = bench.Create();
        var dead = bench.Vm.Contexts[0];
        Assert.Equal(ContextStatus.Dead, dead.Status);

        var reaped = bench.Kernel.ReapOneLocked(dead);

        Assert.Equal(0, reaped);
        Assert.Equal(ContextStatus.Dead, dead.Status);
        Assert.True(KernelBench.OnFreeList(dead));
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(ContextStatus.Ready, live.Status);
        bench.Kernel.CheckInvariants();
    }

    /// <summary>
    /// R7 (§8): [P] reaps every INTBLOCKED context with intpool_cancel, so a popup waiter (not in
    /// the intpool ring) is unlinked from a ring it is not in. The model reports the corruption.
    /// </summary>
    [Fact]
    public void Intblocked_popup_waiter_is_the_r7_hazard_reported_as_ring_membership()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var target = bench.PopupWaiter(21);

        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.ReapOneLocked(target));

        Assert.Equal("ring-membership", violation.Invariant);
    }

    private static void AssertFreed(KernelBench bench, ThreadContext target)
    {
        Assert.Equal(ContextStatus.Dead, target.Status);
        Assert.Same(target, bench.Vm.FreeThreads);
        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.Equal(VmStatusBits.None, target.VmStatus);
        Assert.Equal(0UL, target.Timeout);
    }
}
