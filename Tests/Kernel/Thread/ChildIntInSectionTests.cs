using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Kernel.Support;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Thread;

/// <summary>
/// A local CHILDINT is posted inside the stopping thread's critical section (h2-domain.md §6.4
/// step 3, §8 R5: post, delivery and wait all under the BKL): the parent is readied before the
/// stopping hthread's dosched, which then switches straight to it. The message that carries it is
/// in the trace; only a faulted copy is handled later.
/// </summary>
public sealed class ChildIntInSectionTests
{
    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Master)]
    public void The_last_stop_readies_the_blocked_booter_and_switches_to_it_on_the_same_hthread(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var booter = bench.Booter;

        // The booter as booter.c leaves it: CHILDINT enabled, IE set, BLOCKED in its anysignal wait.
        booter.CpuintEnabled = 1 << KernelConstants.VmChildInt;
        booter.VmStatus |= VmStatusBits.Ie;
        bench.Kernel.FutexWait(booter, KernelBench.Word(7), 0);
        Assert.Equal(ContextStatus.Blocked, booter.Status);
        var last = bench.Running(0);
        bench.Effects.Clear();

        bench.Kernel.BeginSection(0);
        bench.Kernel.ThreadStopWithLock(0, last);

        Assert.Equal([(bench.Vm.Vmidx, booter.Id, 0L)], bench.Effects.ChildInts);
        Assert.Equal([(booter.VmBlock.Vmidx, true)], bench.Effects.ChildIntsHandled);
        Assert.Same(booter, bench.Kernel.Runlist[0]);
        Assert.Equal(ContextStatus.Running, booter.Status);
        Assert.Equal(KernelConstants.VmChildInt, booter.GuestEvent);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void A_delayed_childint_is_posted_when_it_arrives_and_the_run_still_drains()
    {
        var definition = KernelTestSystems.OneVm(t => [Spin(1_000), Print("TEST PASSED")]);
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "CHILDINT", Action = "delay", Probability = 1, DelayMinCycles = 50_000, DelayMaxCycles = 50_000, Source = -1, Target = -1 });

        var (result, _) = H2Run.Run(definition, KernelVariant.Master, faults: plan);

        Assert.Equal("exit", result.Report.OutcomeKind);
        var tally = Assert.Single(result.Report.ChildInts);
        Assert.Equal(1u, tally.Sent);
        Assert.Equal(1u, tally.Posted);
    }
}
