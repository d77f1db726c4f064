using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// H2K_vmop's dispatcher (trap0 28; h2-domain.md §10, §11.8 "dispatcher out-of-range ops"): an op
/// below 0 or at/above VMOP_MAX returns -1. VMOP_MAX is 5 on [K]/[M] and 3 on [B]/[P], where
/// KILL_THREAD (3) and KILL_VM (4) do not exist. Each request names a live thread or its VM, so a
/// dispatch that wrongly went through would leave a mark.
/// </summary>
public sealed class VmOpDispatchRangeTests
{
    [Theory]
    [InlineData(KernelVariant.Master, -1)]
    [InlineData(KernelVariant.Master, 5)]
    [InlineData(KernelVariant.Master, 100)]
    [InlineData(KernelVariant.Base, -1)]
    [InlineData(KernelVariant.Base, 3)]
    [InlineData(KernelVariant.Base, 4)]
    [InlineData(KernelVariant.Base, 5)]
    [InlineData(KernelVariant.Base, 100)]
    [InlineData(KernelVariant.Pr39, -1)]
    [InlineData(KernelVariant.Pr39, 3)]
    [InlineData(KernelVariant.Pr39, 4)]
    [InlineData(KernelVariant.Pr39, 5)]
    [InlineData(KernelVariant.Pr39, 100)]
    public void Op_out_of_range_returns_minus_one_and_does_nothing(KernelVariant variant, int op)
    {
        var bench = new KernelBench(variant);
        var target = bench.Running(1);
        var caller = bench.Running(0);
        bench.Effects.Clear();

        // a1 reads as the target's raw id (KILL_THREAD) and a1/a2 as (vm, status) for KILL_VM.
        long a1 = op == VmOp.KillVm ? bench.Vm.Vmidx : target.Id.Raw;
        var result = bench.Kernel.VmOpDispatch(caller, op, a1, 3, 0, 0, 0);

        Assert.Equal(-1, result);
        Assert.Equal(VmStatusBits.None, target.VmStatus);
        Assert.Equal(VmStatusBits.None, caller.VmStatus);
        Assert.Equal(0, bench.Vm.Status);
        Assert.Empty(bench.Effects.Interrupts);
        Assert.Empty(bench.Effects.Notes);
    }

    [Theory]
    [InlineData(VmOp.KillThread)]
    [InlineData(VmOp.KillVm)]
    public void Master_dispatches_ops_3_and_4_below_its_vmop_max_of_5(int op)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(1);

        long a1 = op == VmOp.KillVm ? bench.Vm.Vmidx : target.Id.Raw;
        var result = bench.Kernel.VmOpDispatch(bench.Booter, op, a1, 3, 0, 0, 0);

        Assert.Equal(0, result);
        Assert.True(target.Has(VmStatusBits.Kill | VmStatusBits.VmWork));
    }
}
