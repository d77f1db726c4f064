using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Futex;

/// <summary>
/// The VMWORK gate of H2K_futex_wait (trap0 2), cases A/B/C of kernel/futex/futex/test/tests/vmwork
/// (h2-domain.md §5.7, §8 R2, §11.8). [B]/[P] gate on VMWORK &amp;&amp; IE: only case A fires, B and
/// C block. [M] gates on VMWORK alone: B returns -1 without blocking and clears VMWORK, C stops the
/// thread in H2K_vm_do_work_withlock. Bug vmwork-gate-needs-ie puts [M] back to [B]'s test.
/// </summary>
public sealed class FutexWaitVmworkGateTests
{
    private static readonly long Address = KernelBench.Word(0);

    [Theory]
    [InlineData(KernelVariant.Base, KernelBug.None)]
    [InlineData(KernelVariant.Pr39, KernelBug.None)]
    [InlineData(KernelVariant.Master, KernelBug.None)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe)]
    public void Case_a_returns_minus_one_without_blocking_in_every_kernel(KernelVariant variant, KernelBug bugs)
    {
        var bench = new KernelBench(variant, bugs);
        var me = bench.Running(0);
        me.VmStatus = VmworkGateCase.A.Bits();

        bench.Kernel.FutexWait(me, Address, 0);

        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.Same(me, bench.Kernel.Runlist[0]);
        Assert.Equal(-1, me.R00);
        Assert.False(bench.InFutexHash(me));

        // The deferred work ran: IE is set, so both do_work and do_work_withlock clear VMWORK.
        Assert.False(me.Has(VmStatusBits.VmWork));
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.B)]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.C)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.B)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.C)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.B)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.C)]
    public void Cases_b_and_c_block_under_the_vmwork_and_ie_gate(KernelVariant variant, KernelBug bugs, VmworkGateCase gateCase)
    {
        var bench = new KernelBench(variant, bugs);
        var me = bench.Running(0);
        me.VmStatus = gateCase.Bits();

        bench.Kernel.FutexWait(me, Address, 0);

        // Committed: BLOCKED in the bucket with r00 = 0, off the runlist; the marks survive (R2's escape).
        Assert.Equal(ContextStatus.Blocked, me.Status);
        Assert.Same(me, bench.Kernel.FutexFirstWaiter(Address));
        Assert.Equal(0, me.R00);
        Assert.Null(bench.Kernel.Runlist[0]);
        Assert.True(me.Has(gateCase.Bits()));
        Assert.Equal(1, bench.Vm.NumCpus);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Master_case_b_returns_minus_one_and_clears_vmwork_with_ie_clear()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        me.VmStatus = VmworkGateCase.B.Bits();

        bench.Kernel.FutexWait(me, Address, 0);

        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.Equal(-1, me.R00);
        Assert.False(bench.InFutexHash(me));
        Assert.Equal(VmStatusBits.None, me.VmStatus);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Master_case_c_stops_the_thread_in_the_gate()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var peer = bench.Running(1);
        var me = bench.Running(0);
        me.VmStatus = VmworkGateCase.C.Bits();

        bench.Kernel.FutexWait(me, Address, 0);

        Assert.Equal(ContextStatus.Dead, me.Status);
        Assert.True(KernelBench.OnFreeList(me));
        Assert.False(bench.InFutexHash(me));
        Assert.Null(bench.Kernel.Runlist[0]);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(ContextStatus.Running, peer.Status);

        // Stopped with vmblock->status = 0 while a peer lives: no CHILDINT (§6.4).
        Assert.Empty(bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }
}
