using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Sched;

/// <summary>
/// H2K_dosched (kernel/sched/dosched/dosched.ref.c; h2-domain.md §4.2–4.3): the best ready context
/// goes onto runlist[h]; with none the hthread sleeps (wait_mask and priomask bits set); when no
/// hthread waits and the incoming priority is worse than every running one, this hthread becomes
/// the low-priority one (its priomask bit set), otherwise it drops that designation.
/// </summary>
public sealed class DoschedTests
{
    [Fact]
    public void With_nothing_ready_the_hthread_sleeps_with_its_wait_and_prio_bits_set()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Kernel.RunlistRemove(me);

        bench.Kernel.Dosched(me, 0);

        Assert.Null(bench.Kernel.Runlist[0]);
        Assert.Equal(-1, bench.Kernel.RunlistPrios[0]);
        Assert.NotEqual(0UL, bench.Kernel.WaitMask & 1UL);
        Assert.NotEqual(0UL, bench.Kernel.PrioMask & 1UL);
        Assert.True(bench.Kernel.SleptInSection);
    }

    [Fact]
    public void The_best_priority_runs_first_and_equals_run_in_arrival_order()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var firstAt100 = bench.Create(prio: 100);
        var secondAt100 = bench.Create(prio: 100);
        var best = bench.Create(prio: 50);

        bench.Kernel.Dosched(null, 0);
        bench.Kernel.Dosched(null, 1);
        bench.Kernel.Dosched(null, 2);

        Assert.Same(best, bench.Kernel.Runlist[0]);
        Assert.Same(firstAt100, bench.Kernel.Runlist[1]);
        Assert.Same(secondAt100, bench.Kernel.Runlist[2]);
        Assert.Equal([50, 100, 100], bench.Kernel.RunlistPrios[..3]);
        Assert.All(new[] { best, firstAt100, secondAt100 }, c => Assert.Equal(ContextStatus.Running, c.Status));
        Assert.Equal(KernelConstants.MaxPrios, bench.Kernel.ReadyBestPrio());
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void With_no_hthread_waiting_a_context_worse_than_every_running_one_makes_this_hthread_low_priority()
    {
        var bench = BusyCluster(incomingPrio: 200, out var me, out var worse);

        bench.Kernel.Dosched(me, 0);

        Assert.Same(worse, bench.Kernel.Runlist[0]);
        Assert.Equal(0, bench.Kernel.LowPrioHThread);
        Assert.Equal(1UL, bench.Kernel.PrioMask);
    }

    [Fact]
    public void A_context_better_than_the_worst_running_one_drops_this_hthreads_low_priority_designation()
    {
        var bench = BusyCluster(incomingPrio: 50, out var me, out var better);
        bench.Kernel.LowPrioHThread = 0;
        bench.Kernel.PrioMask = 1UL;

        bench.Kernel.Dosched(me, 0);

        Assert.Same(better, bench.Kernel.Runlist[0]);

        // Dosched dropped hthread 0; check_sanity then designates the worst running hthread (prio
        // 100 on hthread 1, the first of the two at 100).
        Assert.Equal(1, bench.Kernel.LowPrioHThread);
        Assert.Equal(0b10UL, bench.Kernel.PrioMask);
    }

    [Fact]
    public void Becoming_low_priority_takes_the_designation_from_the_hthread_that_had_it()
    {
        // H2K_raise_lowprio (lowprio.h) clears priomask whole before this hthread's bit is set:
        // with no hthread idle there is one low-priority hthread, never two.
        var bench = BusyCluster(incomingPrio: 200, out var me, out _);
        bench.Kernel.LowPrioHThread = 2;
        bench.Kernel.PrioMask = 0b100UL;

        bench.Kernel.Dosched(me, 0);

        Assert.Equal(0, bench.Kernel.LowPrioHThread);
        Assert.Equal(0b001UL, bench.Kernel.PrioMask);
    }

    [Fact]
    public void Going_to_sleep_with_no_hthread_idle_drops_another_hthreads_low_priority_designation()
    {
        // The sleep path raises the low-priority hthread whoever it is, then sets its own bits.
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Running(1);
        bench.Running(2);
        bench.Kernel.LowPrioHThread = 1;
        bench.Kernel.PrioMask = 0b10UL;
        Assert.Equal(0UL, bench.Kernel.WaitMask);
        bench.Kernel.RunlistRemove(me);

        bench.Kernel.Dosched(me, 0);

        Assert.Equal(0b01UL, bench.Kernel.PrioMask & 0b11UL);
        Assert.NotEqual(1, bench.Kernel.LowPrioHThread);
    }

    /// <summary>Every hthread busy (prio 100 on 0..2, the booter at 1 on 3), a READY context at <paramref name="incomingPrio"/>, no hthread designated low priority, then hthread 0's context taken off the runlist as a blocking path does before dosched.</summary>
    private static KernelBench BusyCluster(int incomingPrio, out ThreadContext me, out ThreadContext incoming)
    {
        var bench = new KernelBench(KernelVariant.Master);
        me = bench.Running(0);
        bench.Running(1);
        bench.Running(2);
        incoming = bench.Create(prio: incomingPrio);
        Assert.Equal(0UL, bench.Kernel.WaitMask);

        // Start from no low-priority designation (thread create's check_sanity left one on the booter).
        bench.Kernel.LowPrioHThread = -1;
        bench.Kernel.PrioMask = 0;
        bench.Kernel.RunlistRemove(me);
        return bench;
    }
}
