using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Thread;

/// <summary>
/// The CHILDINT rule of H2K_thread_stop (h2-domain.md §6.4, §13.5): every stop overwrites
/// vmblock->status; if status != 0 or num_cpus reached 0, post CHILDINT (14) to a live parent,
/// else, with no live parent, free the vmblock once num_cpus is 0 (the vmblocks[] slot stays).
/// [B] and [M] do it inline; [P] through the finalizer, with the same rule. The peers here are
/// RUNNING, so [P]'s all-blocked heuristic does not apply.
/// </summary>
public sealed class ThreadStopChildIntRuleTests
{
    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Nonzero_status_posts_childint_on_every_stop(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var first = bench.Running(0);
        var second = bench.Running(1);

        bench.Kernel.ThreadStopWithLock(5, first);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 5L)], bench.Effects.ChildInts);

        bench.Kernel.ThreadStopWithLock(5, second);
        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.Equal(2, bench.Effects.ChildInts.Count);
        Assert.All(bench.Effects.ChildInts, c => Assert.Equal((bench.Vm.Vmidx, bench.Booter.Id, 5L), c));
        Assert.False(bench.Vm.Freed);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Zero_status_posts_childint_only_when_num_cpus_reaches_zero(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var first = bench.Running(0);
        var second = bench.Running(1);

        bench.Kernel.ThreadStopWithLock(0, first);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Empty(bench.Effects.ChildInts);

        bench.Kernel.ThreadStopWithLock(0, second);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 0L)], bench.Effects.ChildInts);
        Assert.False(bench.Vm.Freed);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Each_stop_overwrites_the_status_the_parent_reads(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var first = bench.Running(0);
        var second = bench.Running(1);

        bench.Kernel.ThreadStopWithLock(5, first);
        bench.Kernel.ThreadStopWithLock(0, second);

        Assert.Equal(0, bench.Vm.Status);
        Assert.Equal(0, bench.Kernel.VmOpDispatch(bench.Booter, VmOp.Status, VmOp.StatusStatus, bench.Vm.Vmidx, 0, 0, 0));
        Assert.Equal([5L, 0L], bench.Effects.ChildInts.Select(c => c.Status));
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Without_a_parent_the_last_stop_frees_the_vmblock_and_leaves_its_slot(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var orphan = bench.NewVm("orphan", parent: null);
        var first = bench.Running(0, orphan);
        var second = bench.Running(1, orphan);

        bench.Kernel.ThreadStopWithLock(0, first);
        Assert.False(orphan.Freed);

        bench.Kernel.ThreadStopWithLock(0, second);
        Assert.True(orphan.Freed);
        Assert.Same(orphan, bench.Kernel.VmBlocks[orphan.Vmidx]);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void With_a_dead_parent_the_last_stop_frees_the_vmblock(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var parent = bench.Running(2);
        var child = bench.NewVm("child", parent);
        var last = bench.Running(0, child);
        bench.Kernel.ThreadStopWithLock(0, parent);
        Assert.Equal(ContextStatus.Dead, parent.Status);
        bench.Effects.Clear();

        bench.Kernel.ThreadStopWithLock(0, last);

        Assert.True(child.Freed);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Without_a_parent_a_nonzero_stop_with_peers_left_neither_signals_nor_frees(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var orphan = bench.NewVm("orphan", parent: null);
        var first = bench.Running(0, orphan);
        bench.Running(1, orphan);

        bench.Kernel.ThreadStopWithLock(5, first);

        Assert.False(orphan.Freed);
        Assert.Equal(1, orphan.NumCpus);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }
}
