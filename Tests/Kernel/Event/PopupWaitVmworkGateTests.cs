using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Event;

/// <summary>
/// The VMWORK gate of H2K_popup_wait (trap0 11), as in kernel/event/popup/test (h2-domain.md §5.3,
/// §5.7, §8 R2, §11.8): [B]/[P] popup wait has no gate at all, so it registers and blocks whatever
/// the bits; [M] added the VMWORK-alone gate (B → -1 with VMWORK cleared, C → stopped). Bug
/// vmwork-gate-needs-ie takes the popup gate away again.
/// </summary>
public sealed class PopupWaitVmworkGateTests
{
    private const int IntNo = 20;

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
    public void Without_a_popup_gate_the_wait_registers_and_blocks(KernelVariant variant, KernelBug bugs, VmworkGateCase gateCase)
    {
        var bench = new KernelBench(variant, bugs);
        var me = bench.Running(0);
        me.VmStatus = gateCase.Bits();

        bench.Kernel.PopupWait(me, IntNo);

        Assert.Equal(ContextStatus.IntBlocked, me.Status);
        Assert.Same(me, bench.Kernel.PopupHandlers[IntNo]);
        Assert.Equal(IntNo, me.R00);
        Assert.Null(bench.Kernel.Runlist[0]);
        Assert.True(me.Has(gateCase.Bits()));
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(VmworkGateCase.A)]
    [InlineData(VmworkGateCase.B)]
    public void Master_gate_returns_minus_one_and_clears_vmwork_without_registering(VmworkGateCase gateCase)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        me.VmStatus = gateCase.Bits();

        bench.Kernel.PopupWait(me, IntNo);

        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.Equal(-1, me.R00);
        Assert.False(bench.Kernel.PopupHandlers.ContainsKey(IntNo));
        Assert.False(me.Has(VmStatusBits.VmWork));
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Master_case_c_stops_the_thread_without_registering_it()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var peer = bench.Running(1);
        var me = bench.Running(0);
        me.VmStatus = VmworkGateCase.C.Bits();

        bench.Kernel.PopupWait(me, IntNo);

        Assert.Equal(ContextStatus.Dead, me.Status);
        Assert.True(KernelBench.OnFreeList(me));
        Assert.False(bench.Kernel.PopupHandlers.ContainsKey(IntNo));
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(ContextStatus.Running, peer.Status);
        bench.Kernel.CheckInvariants();
    }
}
