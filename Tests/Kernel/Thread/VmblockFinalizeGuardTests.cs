using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Thread;

/// <summary>
/// [P] H2K_vmblock_finalize_if_done_locked and its num_cpus guard (h2-domain.md §6.4, §7.2 step 5,
/// §8 R1): num_cpus != 0 with status 0 returns early, neither signalling nor freeing; otherwise
/// CHILDINT to a live parent, or, with no live parent, free the block once num_cpus is 0. Bug
/// finalize-no-numcpus-guard drops the guard, and vm_stop then frees the block under a RUNNING
/// peer (the use-after-free the guard prevents).
/// </summary>
public sealed class VmblockFinalizeGuardTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Live_peers_and_status_zero_return_early_without_childint_or_free(bool withParent)
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var vm = withParent ? bench.Vm : bench.NewVm("orphan", parent: null);
        bench.Running(0, vm);
        bench.Running(1, vm);
        bench.Effects.Clear();

        bench.Kernel.VmBlockFinalizeIfDoneLocked(vm);

        Assert.Empty(bench.Effects.ChildInts);
        Assert.False(vm.Freed);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Nonzero_status_posts_childint_to_a_live_parent_while_peers_live()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        bench.Running(0);
        bench.Vm.Status = 3;

        bench.Kernel.VmBlockFinalizeIfDoneLocked(bench.Vm);

        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 3L)], bench.Effects.ChildInts);
        Assert.False(bench.Vm.Freed);
    }

    [Fact]
    public void No_context_left_with_a_live_parent_posts_childint_and_keeps_the_block_for_vmop_free()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        Assert.Equal(0, bench.Vm.NumCpus);

        bench.Kernel.VmBlockFinalizeIfDoneLocked(bench.Vm);

        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 0L)], bench.Effects.ChildInts);
        Assert.False(bench.Vm.Freed);
    }

    [Fact]
    public void No_context_left_and_no_parent_frees_the_block()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var orphan = bench.NewVm("orphan", parent: null);

        bench.Kernel.VmBlockFinalizeIfDoneLocked(orphan);

        Assert.Empty(bench.Effects.ChildInts);
        Assert.True(orphan.Freed);
        Assert.Same(orphan, bench.Kernel.VmBlocks[orphan.Vmidx]);
    }

    [Fact]
    public void Vm_stop_with_a_running_peer_keeps_the_block_behind_the_guard()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var peer = bench.Running(1);
        var exiter = bench.Running(0);

        bench.Kernel.VmStop(0, exiter);

        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(ContextStatus.Running, peer.Status);
        Assert.False(bench.Vm.Freed);
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Without_the_guard_vm_stop_frees_the_block_while_a_running_peer_lives()
    {
        var bench = new KernelBench(KernelVariant.Pr39, KernelBug.FinalizeNoNumcpusGuard);
        var peer = bench.Running(1);
        var exiter = bench.Running(0);

        bench.Kernel.VmStop(0, exiter);

        Assert.True(bench.Vm.Freed);
        Assert.Equal(ContextStatus.Running, peer.Status);
        var violation = Assert.Throws<KernelInvariantException>(bench.Kernel.CheckInvariants);
        Assert.Equal("use-after-free", violation.Invariant);
    }
}
