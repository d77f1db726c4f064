using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// The cross-cluster extension (docs/kernel-model.md, "The cross-cluster extension"): a remote
/// child is named by a handle ≥ 64 (64 + cluster·64 + vmidx) once its CHILD_BOOTED arrived; STATUS
/// on it is a round trip the asking hthread waits for, KILL_VM and FREE send and return 0; on the
/// child's cluster the bodies of H2K_vmop_status / _free run on arrival, and CHILDINT posts to the
/// parent VM's first thread (cpuidx max_cpus−1) if it lives.
/// </summary>
public sealed class RemoteRelationshipTests
{
    private const int ChildCluster = 2;
    private const int ChildVmidx = 5;

    [Theory]
    [InlineData(0, 2, 66)]
    [InlineData(2, 5, 197)]
    [InlineData(63, 63, 4159)]
    public void A_remote_handle_encodes_cluster_and_vmidx_above_the_local_slots(int cluster, int vmidx, long handle)
    {
        Assert.Equal(handle, KernelActors.Kernel.RemoteHandle(cluster, vmidx));
        Assert.Equal((cluster, vmidx), KernelActors.Kernel.FromRemoteHandle(handle));
    }

    [Fact]
    public void Status_on_a_booted_remote_child_asks_its_cluster_and_waits_for_the_answer()
    {
        var bench = BenchWithRemoteChild(out var handle);
        var parent = bench.Running(0);

        var result = bench.Kernel.VmOpDispatch(parent, VmOp.Status, VmOp.StatusCpus, handle, 0, 0, 0);

        Assert.Equal(-1, result);
        Assert.True(bench.Kernel.AwaitsRemoteReply);
        Assert.Equal([(bench.Vm.Vmidx, ChildCluster, ChildVmidx, RemoteMessage.StatusRead)], bench.Effects.Remote);
    }

    [Fact]
    public void Kill_on_a_remote_child_sends_the_request_and_returns_zero()
    {
        var bench = BenchWithRemoteChild(out var handle);
        var parent = bench.Running(0);

        var result = bench.Kernel.VmOpDispatch(parent, VmOp.KillVm, handle, 7, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.False(bench.Kernel.AwaitsRemoteReply);
        Assert.Equal([(bench.Vm.Vmidx, ChildCluster, ChildVmidx, RemoteMessage.Kill)], bench.Effects.Remote);
    }

    [Fact]
    public void A_vm_that_is_not_the_childs_parent_gets_minus_one_and_sends_nothing()
    {
        var bench = BenchWithRemoteChild(out var handle);

        var result = bench.Kernel.VmOpDispatch(bench.Booter, VmOp.KillVm, handle, 7, 0, 0, 0);

        Assert.Equal(-1, result);
        Assert.Empty(bench.Effects.Remote);
    }

    [Fact]
    public void A_status_read_from_the_remote_parent_answers_from_the_live_vmblock_or_minus_one_for_an_empty_slot()
    {
        var bench = new KernelBench(KernelVariant.Master);
        bench.Create();
        bench.Create();

        bench.Kernel.RemoteArrived(RemoteMessage.StatusRead, bench.Vm.Vmidx, fromCluster: 1, VmOp.StatusCpus, 3, 0);
        bench.Kernel.RemoteArrived(RemoteMessage.StatusRead, 40, fromCluster: 1, VmOp.StatusCpus, 3, 0);

        Assert.Equal([(bench.Vm.Vmidx, 1, 3, 2L), (40, 1, 3, -1L)], bench.Effects.RemoteReplies);
    }

    [Fact]
    public void A_remote_free_refuses_while_contexts_live_and_otherwise_frees_and_nulls_the_slot()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var busy = bench.NewVm("busy", bench.Booter);
        bench.Create(busy);
        var empty = bench.NewVm("empty", bench.Booter);

        bench.Kernel.RemoteArrived(RemoteMessage.Free, busy.Vmidx, fromCluster: 1, 0, 0, 0);
        bench.Kernel.RemoteArrived(RemoteMessage.Free, empty.Vmidx, fromCluster: 1, 0, 0, 0);

        Assert.Same(busy, bench.Kernel.VmBlocks[busy.Vmidx]);
        Assert.False(busy.Freed);
        Assert.Null(bench.Kernel.VmBlocks[empty.Vmidx]);
        Assert.True(empty.Freed);
    }

    [Fact]
    public void A_remote_childint_posts_to_the_parent_vms_first_thread_only_while_it_lives()
    {
        var bench = new KernelBench(KernelVariant.Master);
        bench.Kernel.RemoteArrived(RemoteMessage.ChildInt, bench.Vm.Vmidx, fromCluster: 1, 0, 0, 0);

        var first = bench.Create();
        bench.Kernel.RemoteArrived(RemoteMessage.ChildInt, bench.Vm.Vmidx, fromCluster: 1, 0, 0, 0);

        Assert.Equal((uint)(bench.Vm.MaxCpus - 1), first.Cpuidx);
        Assert.Equal([(bench.Vm.Vmidx, false), (bench.Vm.Vmidx, true)], bench.Effects.ChildIntsHandled);
        Assert.NotEqual(0, first.CpuintPending & (1 << KernelConstants.VmChildInt));
    }

    [Fact]
    public void The_mailbox_handler_preempts_runs_every_message_then_reschedules()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Kernel.InterconnectMailbox.Enqueue(new RemoteArrival(RemoteMessage.ChildBooted, bench.Vm.Vmidx, ChildCluster, ChildVmidx, 0, 0));

        bench.Kernel.InterconnectInt(me, 0);

        Assert.Empty(bench.Kernel.InterconnectMailbox);
        Assert.Equal(bench.Vm.Vmidx, bench.Kernel.RemoteChildren[KernelActors.Kernel.RemoteHandle(ChildCluster, ChildVmidx)].ParentVmidx);
        Assert.Same(me, bench.Kernel.Runlist[0]);
        Assert.Equal(ContextStatus.Running, me.Status);
    }

    /// <summary>The test VM as the parent of vmidx 5 on cluster 2, known through its CHILD_BOOTED.</summary>
    private static KernelBench BenchWithRemoteChild(out long handle)
    {
        var bench = new KernelBench(KernelVariant.Master);
        bench.Kernel.RemoteArrived(RemoteMessage.ChildBooted, bench.Vm.Vmidx, ChildCluster, ChildVmidx, 0, 0);
        handle = KernelActors.Kernel.RemoteHandle(ChildCluster, ChildVmidx);
        Assert.True(bench.Kernel.RemoteChildren.ContainsKey(handle));
        return bench;
    }
}
