using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Thread;

/// <summary>
/// [P]'s all-blocked heuristic in H2K_thread_stop (h2-domain.md §7.2, §8 R9): only when
/// !exiting, status == 0 and num_cpus > 0 after the stop, and every live context is BLOCKED or
/// INTBLOCKED with timeout == 0, reap_one_locked runs on every context. [B] and [M] have no such
/// reaper (§7.1, §7.3).
/// </summary>
public sealed class AllBlockedHeuristicTests
{
    [Fact]
    public void Pr39_stop_with_every_peer_blocked_without_timeout_reaps_them_and_signals_the_parent()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var worker = bench.Blocked(KernelBench.Word(5), hthread: 1);
        var main = bench.Running(0);

        bench.Kernel.ThreadStopWithLock(0, main);

        Assert.Equal(ContextStatus.Dead, worker.Status);
        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 0L)], bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Pr39_stop_leaves_a_blocked_peer_whose_timer_will_wake_it()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var worker = bench.Running(1);
        bench.Kernel.TimerTrap(worker, KernelActors.Kernel.TimerDeltaTimeout, 50_000);
        bench.Kernel.FutexWait(worker, KernelBench.Word(5), 0);
        var main = bench.Running(0);

        bench.Kernel.ThreadStopWithLock(0, main);

        Assert.Equal(ContextStatus.Blocked, worker.Status);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Pr39_nonzero_stop_does_not_run_the_heuristic()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var worker = bench.Blocked(KernelBench.Word(5), hthread: 1);
        var main = bench.Running(0);

        bench.Kernel.ThreadStopWithLock(1, main);

        Assert.Equal(ContextStatus.Blocked, worker.Status);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 1L)], bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Master)]
    public void Base_and_master_stop_reaps_no_blocked_peer(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var worker = bench.Blocked(KernelBench.Word(5), hthread: 1);
        var main = bench.Running(0);

        bench.Kernel.ThreadStopWithLock(0, main);

        Assert.Equal(ContextStatus.Blocked, worker.Status);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }
}
