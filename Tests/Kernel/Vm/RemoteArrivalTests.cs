using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// The child side of the cross-cluster relationship runs the local kernel bodies on arrival: a
/// VMOP_STATUS read answers from the live vmblock, FREE refuses while contexts live, and any of
/// them that reaches a freed vmblock still in its slot is a use-after-free, as H2K_vmop_* would
/// dereference it.
/// </summary>
public sealed class RemoteArrivalTests
{
    private static (KernelBench Bench, VmBlock Child) ChildOfRemoteParent()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var child = bench.NewVm("remote-child", bench.Booter);
        child.RemoteParent = new RemoteParentLink(cluster: 1, vmidx: 2);
        return (bench, child);
    }

    [Fact]
    public void A_status_read_answers_num_cpus_from_the_live_vmblock()
    {
        var (bench, child) = ChildOfRemoteParent();
        bench.Create(child);
        bench.Create(child);

        bench.Kernel.RemoteArrived(RemoteMessage.StatusRead, child.Vmidx, fromCluster: 1, a: VmOp.StatusCpus, b: 3, c: 0);

        Assert.Equal([(child.Vmidx, 1, 3, 2L)], bench.Effects.RemoteReplies);
    }

    [Fact]
    public void A_free_while_contexts_live_frees_nothing_and_a_free_at_zero_nulls_the_slot()
    {
        var (bench, child) = ChildOfRemoteParent();
        bench.Create(child);

        bench.Kernel.RemoteArrived(RemoteMessage.Free, child.Vmidx, 1, 0, 0, 0);
        Assert.False(child.Freed);
        Assert.Same(child, bench.Kernel.VmBlocks[child.Vmidx]);

        var empty = bench.NewVm("empty-child", bench.Booter);
        empty.RemoteParent = new RemoteParentLink(1, 2);
        bench.Kernel.RemoteArrived(RemoteMessage.Free, empty.Vmidx, 1, 0, 0, 0);
        Assert.True(empty.Freed);
        Assert.Null(bench.Kernel.VmBlocks[empty.Vmidx]);
    }

    [Theory]
    [InlineData(RemoteMessage.StatusRead)]
    [InlineData(RemoteMessage.Kill)]
    [InlineData(RemoteMessage.Free)]
    public void A_message_that_reaches_a_freed_vmblock_still_in_its_slot_is_a_use_after_free(RemoteMessage kind)
    {
        var (bench, child) = ChildOfRemoteParent();
        child.RemoteParent!.Alive = false;
        var last = bench.Running(0, child);
        bench.Kernel.ThreadStopWithLock(0, last); // no live parent at num_cpus 0: freed, slot kept
        Assert.True(child.Freed);
        Assert.Same(child, bench.Kernel.VmBlocks[child.Vmidx]);

        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.RemoteArrived(kind, child.Vmidx, 1, 0, 3, 0));

        Assert.Equal("use-after-free", violation.Invariant);
    }

    [Fact]
    public void A_kill_or_status_read_of_a_null_slot_is_gone_not_an_error()
    {
        var bench = new KernelBench(KernelVariant.Master);

        bench.Kernel.RemoteArrived(RemoteMessage.Kill, 40, 1, 5, 0, 0);
        bench.Kernel.RemoteArrived(RemoteMessage.StatusRead, 40, 1, VmOp.StatusCpus, 2, 0);

        Assert.Equal([(40, 1, 2, -1L)], bench.Effects.RemoteReplies);
    }
}
