using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Time;

/// <summary>
/// Timers (kernel/time/timer, h2-domain.md §5.6): TIMEROP reads answer in r00; set/delta arm one
/// deadline per context in the timeout tree (re-arming replaces it, a deadline at or before now is
/// no timer); H2K_timer_int expires every deadline ≤ now with TIME_GUESTINT and re-arms the
/// hardware timer for the earliest one left.
/// </summary>
public sealed class TimerTests
{
    [Theory]
    [InlineData(KernelActors.Kernel.TimerGetFreq, 19_200_000)]
    [InlineData(KernelActors.Kernel.TimerGetResolution, 1)]
    [InlineData(KernelActors.Kernel.TimerGetTime, 10_000)]
    [InlineData(99, -1)]
    public void Reads_answer_in_r00(int op, long expected)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);

        bench.Kernel.TimerTrap(me, op, 0);

        Assert.Equal(expected, me.R00);
        Assert.Empty(bench.Kernel.Timeouts);
    }

    [Fact]
    public void Delta_arms_a_deadline_from_now_and_programs_the_hardware_timer()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);

        bench.Kernel.TimerTrap(me, KernelActors.Kernel.TimerDeltaTimeout, 500);

        Assert.Equal(10_500UL, me.Timeout);
        Assert.Equal(10_500, me.R00);
        Assert.Equal([(10_500UL, me.Id.Raw)], bench.Kernel.Timeouts.ToList());
        Assert.Equal([10_500UL], bench.Effects.TimerDeadlines);
        bench.Kernel.TimerTrap(me, KernelActors.Kernel.TimerGetTimeout, 0);
        Assert.Equal(10_500, me.R00);
    }

    [Fact]
    public void Rearming_replaces_the_deadline_and_one_in_the_past_cancels_it()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Kernel.TimerTrap(me, KernelActors.Kernel.TimerDeltaTimeout, 500);

        bench.Kernel.TimerTrap(me, KernelActors.Kernel.TimerSetTimeout, 30_000);
        Assert.Equal([(30_000UL, me.Id.Raw)], bench.Kernel.Timeouts.ToList());

        bench.Kernel.TimerTrap(me, KernelActors.Kernel.TimerSetTimeout, 10_000);
        Assert.Empty(bench.Kernel.Timeouts);
        Assert.Equal(0UL, me.Timeout);
        Assert.Equal(0, me.R00);
    }

    [Fact]
    public void Timer_int_posts_time_guestint_to_each_expired_context_and_rearms_for_the_next()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var early = bench.Running(0);
        var late = bench.Running(1);
        bench.Kernel.TimerTrap(early, KernelActors.Kernel.TimerDeltaTimeout, 500);
        bench.Kernel.TimerTrap(late, KernelActors.Kernel.TimerDeltaTimeout, 10_000);
        bench.Effects.NowCycles = 15_000;
        bench.Effects.TimerDeadlines.Clear();

        bench.Kernel.TimerInt();

        Assert.Equal(0UL, early.Timeout);
        Assert.NotEqual(0, early.CpuintPending & (1 << KernelConstants.TimeGuestInt));
        Assert.True(early.VmStatus.HasFlag(VmStatusBits.VmWork));
        Assert.Equal(20_000UL, late.Timeout);
        Assert.Equal(0, late.CpuintPending & (1 << KernelConstants.TimeGuestInt));
        Assert.Equal([(20_000UL, late.Id.Raw)], bench.Kernel.Timeouts.ToList());
        Assert.Equal([20_000UL], bench.Effects.TimerDeadlines);
    }

    [Fact]
    public void Cancel_without_the_bkl_is_a_bkl_violation()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Kernel.BeginSection(0, holdsBkl: false);

        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.TimerCancelWithLock(me));

        Assert.Equal("bkl", violation.Invariant);
    }
}
