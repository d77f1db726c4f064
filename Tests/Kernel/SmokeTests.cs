using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;
using Xunit.Abstractions;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel;

public sealed class SmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Main_that_returns_at_once_exits_with_status_zero(KernelVariant kernel)
    {
        var definition = KernelTestSystems.OneVm(t => [Print("TEST PASSED")]);
        var (result, _) = H2Run.Run(definition, kernel);
        output.WriteLine($"{result.Report.OutcomeKind}: {result.Report.Detail} events={result.Events} hash={result.TraceHashText}");
        foreach (var line in result.Report.Printed)
        {
            output.WriteLine(line);
        }

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Equal(0, result.Report.Vms.Single().Status);
    }
}
