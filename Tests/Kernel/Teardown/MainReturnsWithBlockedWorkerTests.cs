using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Teardown;

/// <summary>
/// h2-domain.md §7: main returns (exit(0)) while a worker is BLOCKED in FUTEX_WAIT on a word nobody
/// wakes. [B] has no reaper: main's trap 5 leaves num_cpus = 1, no CHILDINT, the booter sleeps:
/// a hang naming the worker. [P]'s vm_stop reaps it in pass 1; [M]'s KILL_VM cancels its wait and
/// it dies in the switch-in hook: both drain and exit 0.
/// </summary>
public sealed class MainReturnsWithBlockedWorkerTests
{
    private static SystemDefinition System() => KernelTestSystems.OneVm(MainProgram, extra: d => d.Program("worker", KernelTestSystems.BlockForever));

    private static IEnumerable<GuestAction> MainProgram(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("worker"), 0);
        yield return Spin(5_000);
        yield return Print("TEST PASSED");
    }

    [Fact]
    public void Base_hangs_naming_the_blocked_worker_its_status_and_futex()
    {
        var (result, _) = H2Run.Run(System(), KernelVariant.Base);

        Assert.Equal("hang", result.Report.OutcomeKind);
        var stranded = Assert.Single(result.Report.Stranded, s => s.Vm == 2);
        Assert.Equal(2u, stranded.Vm);
        Assert.Equal(30u, stranded.Cpuidx); // main got 31 (max_cpus-1), the worker the next off the LIFO list
        Assert.Equal("BLOCKED", stranded.Status);
        Assert.Contains("never", stranded.WaitsOn);
        Assert.Contains("no thread of VM 2", stranded.WhoCouldWake);
        Assert.Equal("hang", result.Report.Vms.Single().Kind);
    }

    [Theory]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Pr39_and_master_drain_the_vm_and_exit_zero(KernelVariant kernel)
    {
        var (result, _) = H2Run.Run(System(), kernel);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Equal(0, result.Report.Vms.Single().Status);
        Assert.Empty(result.Report.Stranded);
        Assert.Contains("booter: VM 2 status 0x0", result.Report.Printed);
    }
}
