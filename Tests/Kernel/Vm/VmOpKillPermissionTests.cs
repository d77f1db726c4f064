using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// Permissions of VMOP_KILL_THREAD (3) and VMOP_KILL_VM (4) on [M], as kernel/vm/vmop/test checks
/// them (h2-domain.md §7.3, §10, §11.8): no caller → -1; the target VM gone (freed, or never
/// configured) → 0, "blindly clean up"; a caller neither in the target VM nor its parent → -1;
/// cpuidx out of range → -1; KILL_VM with vm ≥ 64 → -1; a DEAD target short-circuits. A refused
/// or void request marks nothing.
/// </summary>
public sealed class VmOpKillPermissionTests
{
    [Fact]
    public void Kill_thread_without_a_caller_returns_minus_one()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(1);

        var result = bench.Kernel.VmOpDispatch(null, VmOp.KillThread, target.Id.Raw, 0, 0, 0, 0);

        Assert.Equal(-1, result);
        AssertUntouched(bench, target);
    }

    [Fact]
    public void Kill_vm_without_a_caller_returns_minus_one()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(1);

        var result = bench.Kernel.VmOpDispatch(null, VmOp.KillVm, bench.Vm.Vmidx, 3, 0, 0, 0);

        Assert.Equal(-1, result);
        Assert.Equal(0, bench.Vm.Status);
        AssertUntouched(bench, target);
    }

    [Theory]
    [InlineData(VmOp.KillThread, Gone.NeverConfigured)]
    [InlineData(VmOp.KillThread, Gone.FreedByParent)]
    [InlineData(VmOp.KillVm, Gone.NeverConfigured)]
    [InlineData(VmOp.KillVm, Gone.FreedByParent)]
    public void Kill_of_a_vm_whose_slot_is_null_returns_zero(int op, Gone how)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var caller = bench.Running(0);
        var vmidx = GoneVm(bench, how);
        bench.Effects.Clear();

        long a1 = op == VmOp.KillThread ? ThreadId.Of((uint)vmidx, 31).Raw : vmidx;
        var result = bench.Kernel.VmOpDispatch(caller, op, a1, 3, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.DoesNotContain(bench.Effects.Notes, n => n.Note == KernelNote.KillMarked);
        Assert.Empty(bench.Effects.Interrupts);
        Assert.Equal(VmStatusBits.None, caller.VmStatus);
    }

    /// <summary>
    /// A vmblock freed at its last stop with no live parent keeps its vmblocks[] slot (thread_stop
    /// frees the memory, nobody NULLs the slot): H2K_vmop_kill_* then reads the freed block.
    /// </summary>
    [Theory]
    [InlineData(VmOp.KillThread)]
    [InlineData(VmOp.KillVm)]
    public void Kill_of_a_vm_freed_at_its_last_stop_reads_freed_memory(int op)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var caller = bench.Running(0);
        var vmidx = GoneVm(bench, Gone.FreedAtLastStop);

        long a1 = op == VmOp.KillThread ? ThreadId.Of((uint)vmidx, 31).Raw : vmidx;
        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.VmOpDispatch(caller, op, a1, 3, 0, 0, 0));

        Assert.Equal("use-after-free", violation.Invariant);
    }

    [Fact]
    public void Kill_thread_in_an_unrelated_vm_returns_minus_one()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var sibling = bench.NewVm("sibling", bench.Booter);
        var target = bench.Running(1, sibling);
        var caller = bench.Running(0);

        var result = bench.Kernel.VmOpDispatch(caller, VmOp.KillThread, target.Id.Raw, 0, 0, 0, 0);

        Assert.Equal(-1, result);
        AssertUntouched(bench, target);
    }

    [Fact]
    public void Kill_vm_of_an_unrelated_vm_returns_minus_one_without_stamping_its_status()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var sibling = bench.NewVm("sibling", bench.Booter);
        var target = bench.Running(1, sibling);
        var caller = bench.Running(0);

        var result = bench.Kernel.VmOpDispatch(caller, VmOp.KillVm, sibling.Vmidx, 3, 0, 0, 0);

        Assert.Equal(-1, result);
        Assert.Equal(0, sibling.Status);
        AssertUntouched(bench, target);
    }

    [Fact]
    public void A_child_vm_may_not_kill_its_parent()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var caller = bench.Running(0);

        Assert.Equal(-1, bench.Kernel.VmOpDispatch(caller, VmOp.KillThread, bench.Booter.Id.Raw, 0, 0, 0, 0));
        Assert.Equal(-1, bench.Kernel.VmOpDispatch(caller, VmOp.KillVm, KernelConstants.BootVmIndex, 3, 0, 0, 0));
        AssertUntouched(bench, bench.Booter);
    }

    [Fact]
    public void Kill_thread_of_a_peer_in_the_callers_own_vm_is_allowed()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(1);
        var caller = bench.Running(0);

        var result = bench.Kernel.VmOpDispatch(caller, VmOp.KillThread, target.Id.Raw, 0, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.True(target.Has(VmStatusBits.Kill | VmStatusBits.VmWork));
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
    }

    [Fact]
    public void Kill_thread_of_a_child_vm_by_its_parent_is_allowed()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(1);

        var result = bench.Kernel.VmOpDispatch(bench.Booter, VmOp.KillThread, target.Id.Raw, 0, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.True(target.Has(VmStatusBits.Kill | VmStatusBits.VmWork));
        Assert.Equal(VmStatusBits.None, bench.Booter.VmStatus);
    }

    [Theory]
    [InlineData(32u)]
    [InlineData(0xFFFFu)]
    public void Kill_thread_with_cpuidx_out_of_range_returns_minus_one(uint cpuidx)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var caller = bench.Running(0);
        bench.Effects.Clear();

        var result = bench.Kernel.VmOpDispatch(caller, VmOp.KillThread, ThreadId.Of((uint)bench.Vm.Vmidx, cpuidx).Raw, 0, 0, 0, 0);

        Assert.Equal(-1, result);
        AssertUntouched(bench, caller);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    public void Kill_vm_with_vmidx_64_or_more_returns_minus_one(int vmidx)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var caller = bench.Running(0);
        bench.Effects.Clear();

        var result = bench.Kernel.VmOpDispatch(caller, VmOp.KillVm, vmidx, 3, 0, 0, 0);

        Assert.Equal(-1, result);
        Assert.Equal(0, bench.Vm.Status);
        AssertUntouched(bench, caller);
    }

    [Fact]
    public void Kill_thread_of_a_dead_context_short_circuits_with_zero_and_no_marks()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var caller = bench.Running(0);
        var dead = bench.Vm.Contexts[0];
        Assert.Equal(ContextStatus.Dead, dead.Status);
        bench.Effects.Clear();

        var result = bench.Kernel.VmOpDispatch(caller, VmOp.KillThread, dead.Id.Raw, 0, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.Equal(ContextStatus.Dead, dead.Status);
        Assert.Equal(VmStatusBits.None, dead.VmStatus);
        Assert.Equal(1, bench.Vm.NumCpus);
        AssertUntouched(bench, caller);
        bench.Kernel.CheckInvariants();
    }

    public enum Gone
    {
        NeverConfigured,
        FreedByParent,
        FreedAtLastStop,
    }

    /// <summary>A vmidx whose VM is gone: never configured; freed by its parent's VMOP_FREE; or freed by its last stop with no parent (§6.4: the slot stays, dangling).</summary>
    private static int GoneVm(KernelBench bench, Gone how)
    {
        switch (how)
        {
            case Gone.NeverConfigured:
                return 9;
            case Gone.FreedByParent:
                var child = bench.NewVm("freed", bench.Booter);
                Assert.Equal(0, bench.Kernel.VmOpDispatch(bench.Booter, VmOp.Free, child.Vmidx, 0, 0, 0, 0));
                Assert.Null(bench.Kernel.VmBlocks[child.Vmidx]);
                return child.Vmidx;
            default:
                var orphan = bench.NewVm("orphan", parent: null);
                var last = bench.Running(1, orphan);
                bench.Kernel.ThreadStopWithLock(0, last);
                Assert.True(orphan.Freed);
                Assert.Same(orphan, bench.Kernel.VmBlocks[orphan.Vmidx]);
                return orphan.Vmidx;
        }
    }

    private static void AssertUntouched(KernelBench bench, ThreadContext context)
    {
        Assert.False(context.Has(VmStatusBits.Kill));
        Assert.False(context.Has(VmStatusBits.VmWork));
        Assert.Equal(0UL, bench.Kernel.MaskForIpi);
        Assert.Empty(bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        Assert.DoesNotContain(bench.Effects.Notes, n => n.Note == KernelNote.KillMarked);
    }
}
