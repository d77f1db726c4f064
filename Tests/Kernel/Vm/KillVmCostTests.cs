using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// Kernel paths cost what they do (h2-domain.md §7.3): kill_thread_locked returns for a DEAD
/// context before any work, so VMOP_KILL_VM over 32 slots with one live context costs the op, a
/// loop iteration per slot, and one kill — not a kill per slot. The BKL is held exactly that long.
/// </summary>
public sealed class KillVmCostTests
{
    [Fact]
    public void Kill_vm_charges_a_loop_iteration_per_slot_and_a_kill_per_live_context()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        var costs = CostModel.Defaults;

        bench.Kernel.BeginSection(0);
        bench.Kernel.VmOpTrap(me, VmOp.KillVm, VmOp.KillVmSelf, 1, 0, 0, 0);

        var expected = costs.VmOpCycles + (32 * costs.SlotScanCycles) + costs.KillThreadCycles;
        Assert.Equal(expected, bench.Kernel.SectionCycles);
        Assert.True(bench.Kernel.SectionCycles < 32 * costs.KillThreadCycles / 4, $"{bench.Kernel.SectionCycles} cycles");
    }

    [Fact]
    public void Each_live_context_adds_one_kill_and_nothing_else()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        bench.Running(1);
        bench.Create();
        var costs = CostModel.Defaults;

        bench.Kernel.BeginSection(0);
        bench.Kernel.VmOpTrap(me, VmOp.KillVm, VmOp.KillVmSelf, 1, 0, 0, 0);

        Assert.Equal(costs.VmOpCycles + (32 * costs.SlotScanCycles) + (3 * costs.KillThreadCycles), bench.Kernel.SectionCycles);
    }
}
