using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Teardown;

/// <summary>
/// exit(1) per kernel (h2-domain.md §7.4, R12): [B] goes straight to Angel SYS_EXIT, which ends the
/// simulation before the kernel or the booter see anything (angel-exit); [P]'s VM_STOP(1) and
/// [M]'s KILL_VM(SELF, 1) tear the VM down and the booter reads status 1. A program that never
/// stops running reaches the horizon: timeout (the harness's ulimit).
/// </summary>
public sealed class ExitStatusOutcomeTests
{
    private static IEnumerable<GuestAction> ExitOneWithBlockedWorker(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("worker"), 0);
        yield return Spin(3_000);
        yield return Print("TEST PASSED");
        yield return Call(GuestLib.SysExit(t, 1));
    }

    private static SystemDefinition System() =>
        KernelTestSystems.OneVm(ExitOneWithBlockedWorker, expectStatus: 1, extra: d => d.Program("worker", KernelTestSystems.BlockForever));

    [Fact]
    public void Base_exit_one_is_an_angel_exit_that_bypasses_the_kernel()
    {
        var result = H2Run.Run(System(), KernelVariant.Base).Result;

        Assert.Equal("angel-exit", result.Report.OutcomeKind);
        Assert.Equal("1", result.Report.Figures["angel-exit-code"]);
        Assert.DoesNotContain(result.Report.Printed, line => line.StartsWith("booter: VM 2 status", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Pr39_and_master_tear_down_and_the_booter_sees_status_one(KernelVariant kernel)
    {
        var result = H2Run.Run(System(), kernel).Result;

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Equal(1, result.Report.Vms.Single().Status);
        Assert.Contains("booter: VM 2 status 0x1", result.Report.Printed);
        Assert.DoesNotContain(result.Report.Printed, line => line.Contains("FAIL", StringComparison.Ordinal));
    }

    [Fact]
    public void A_thread_that_never_stops_yielding_reaches_the_horizon_as_a_timeout()
    {
        static IEnumerable<GuestAction> Forever(GuestThread t)
        {
            while (true)
            {
                yield return Spin(500);
                yield return Trap0(Trap0Numbers.Yield);
            }
        }

        var result = H2Run.Run(KernelTestSystems.OneVm(Forever), KernelVariant.Master, horizonCycles: 2_000_000).Result;

        Assert.Equal("timeout", result.Report.OutcomeKind);
        Assert.Equal("timeout", result.Report.Vms.Single().Kind);
        Assert.True(result.VirtualCycles < 2_000_000);
    }
}
