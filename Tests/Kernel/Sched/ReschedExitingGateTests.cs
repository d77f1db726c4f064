using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Sched;

/// <summary>
/// [P]'s exiting gate in H2K_resched / H2K_resched_cluster (h2-domain.md §4.3, §7.2, §8 R1): the
/// handler removes me from the runlist; if me's vmblock is exiting it cancels my timer, frees my
/// context, runs the finalizer and dosched's with me = NULL; otherwise me is ready_appended as a
/// plain preemption. vm_stop's pass 2 is what steers CLUSTER_RESCHED_INT at a RUNNING peer.
/// </summary>
public sealed class ReschedExitingGateTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resched_of_an_exiting_vm_frees_me_finalizes_and_dosched_runs_the_next(bool cluster)
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var peer = bench.Running(1);
        var exiter = bench.Running(0);

        // exit(0) → H2K_vm_stop: the peer is RUNNING, so pass 1 skips it and pass 2 kicks its hthread.
        bench.Kernel.VmStop(0, exiter);
        Assert.True(bench.Vm.Exiting);
        Assert.Equal(ContextStatus.Running, peer.Status);
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.ClusterReschedInt));
        Assert.Equal(bench.Kernel.AllHThreadsMask & ~(1UL << 1), bench.Kernel.IAssign[KernelConstants.ClusterReschedInt]);
        Assert.Empty(bench.Effects.ChildInts);

        // Another VM's thread is ready, for hthread 1's dosched to pick.
        var other = bench.Create(bench.NewVm("other", bench.Booter));
        bench.Effects.Clear();

        bench.Kernel.Resched(peer, 1, cluster);

        Assert.Equal(ContextStatus.Dead, peer.Status);
        Assert.True(KernelBench.OnFreeList(peer));
        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 0L)], bench.Effects.ChildInts);
        Assert.Same(other, bench.Kernel.Runlist[1]);
        Assert.Equal(ContextStatus.Running, other.Status);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Cluster_resched_disables_the_interrupt_for_every_hthread()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var peer = bench.Running(1);
        bench.Kernel.VmStop(0, bench.Running(0));

        bench.Kernel.Resched(peer, 1, cluster: true);

        Assert.Equal(bench.Kernel.AllHThreadsMask, bench.Kernel.IAssign[KernelConstants.ClusterReschedInt]);
    }

    [Fact]
    public void An_exiting_vm_with_nothing_else_ready_leaves_the_hthread_idle()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var peer = bench.Running(1);
        bench.Kernel.VmStop(0, bench.Running(0));

        bench.Kernel.Resched(peer, 1, cluster: true);

        Assert.Null(bench.Kernel.Runlist[1]);
        Assert.NotEqual(0UL, bench.Kernel.WaitMask & (1UL << 1));
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Resched_of_a_vm_that_is_not_exiting_puts_me_back_on_the_ready_ring(bool cluster)
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var me = bench.Running(0);
        var peer = bench.Create();

        bench.Kernel.Resched(me, 0, cluster);

        // Preempted to the tail of its ring; the equal-priority peer ahead of it runs.
        Assert.Equal(ContextStatus.Ready, me.Status);
        Assert.Same(me, bench.Kernel.Ready[me.Prio]);
        Assert.Same(peer, bench.Kernel.Runlist[0]);
        Assert.Equal(2, bench.Vm.NumCpus);
        Assert.False(bench.Vm.Exiting);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }
}
