using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Event;

/// <summary>
/// The VMWORK gate of H2K_intpool_wait (trap0 15), as in kernel/event/intpool/test (h2-domain.md
/// §5.4, §5.7, §8 R2, §11.8): [B]/[P] have no gate, so the wait joins the vmblock's intpool ring
/// with r00 = -1 whatever the bits; [M] gates on VMWORK alone. Bug vmwork-gate-needs-ie takes the
/// intpool gate away again.
/// </summary>
public sealed class IntpoolWaitVmworkGateTests
{
    [Theory]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.A)]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.B)]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.C)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.A)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.B)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.C)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.A)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.B)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.C)]
    public void Without_an_intpool_gate_the_wait_joins_the_ring_and_blocks(KernelVariant variant, KernelBug bugs, VmworkGateCase gateCase)
    {
        var bench = new KernelBench(variant, bugs);
        var me = bench.Running(0);
        me.VmStatus = gateCase.Bits();

        bench.Kernel.IntpoolWait(me);

        Assert.Equal(ContextStatus.IntBlocked, me.Status);
        Assert.Same(me, bench.Vm.Intpool);
        Assert.Equal(-1, me.R00);
        Assert.Null(bench.Kernel.Runlist[0]);
        Assert.True(me.Has(gateCase.Bits()));
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(VmworkGateCase.A)]
    [InlineData(VmworkGateCase.B)]
    public void Master_gate_returns_minus_one_and_clears_vmwork_without_joining_the_ring(VmworkGateCase gateCase)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        me.VmStatus = gateCase.Bits();

        bench.Kernel.IntpoolWait(me);

        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.Same(me, bench.Kernel.Runlist[0]);
        Assert.Equal(-1, me.R00);
        Assert.Null(bench.Vm.Intpool);
        Assert.False(me.Has(VmStatusBits.VmWork));
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Master_case_c_stops_the_thread_without_joining_the_ring()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var peer = bench.Running(1);
        var me = bench.Running(0);
        me.VmStatus = VmworkGateCase.C.Bits();

        bench.Kernel.IntpoolWait(me);

        Assert.Equal(ContextStatus.Dead, me.Status);
        Assert.True(KernelBench.OnFreeList(me));
        Assert.Null(bench.Vm.Intpool);
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(ContextStatus.Running, peer.Status);
        bench.Kernel.CheckInvariants();
    }
}
