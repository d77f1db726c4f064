using H2Sim.HwThreadActors.Compare;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Compare;

/// <summary>
/// The teardown figures compare reports: read from a run's report figures (System/TeardownClock),
/// latency from the earliest request to the parent seeing the drain, the longest BKL hold until the
/// drain; nothing where the parent never saw it.
/// </summary>
public sealed class TeardownSampleTests
{
    [Fact]
    public void Latency_runs_from_the_earliest_request_of_any_recorder_to_the_parent_seeing_the_drain()
    {
        var report = new ModelReport();
        report.Figures["teardown:1:3:requested:0"] = "5000";
        report.Figures["teardown:1:3:requested:1"] = "4200";
        report.Figures["teardown:1:3:drained"] = "9000";
        report.Figures["teardown:1:3:bkl-max"] = "777";
        report.Figures["teardown:1:3:parent-saw"] = "12000";
        report.Figures["teardown:0:2:requested:0"] = "100";
        report.Figures["angel-exit-code"] = "1";

        var samples = TeardownSample.Of(report);

        Assert.Equal([new TeardownSample(0, 2, null, null), new TeardownSample(1, 3, 7800, 777)], samples);
    }

    [Fact]
    public void A_drained_vm_has_a_latency_and_a_hang_has_none()
    {
        var yaml = File.ReadAllText(Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml"));

        var onMaster = TeardownSample.Of(ScenarioTestSupport.Run(yaml, KernelVariant.Master).Report).Single();
        var onBase = TeardownSample.Of(ScenarioTestSupport.Run(yaml, KernelVariant.Base).Report).Single();

        Assert.True(onMaster.LatencyCycles > 0);
        Assert.True(onMaster.BklHoldMaxCycles > 0);
        Assert.Null(onBase.LatencyCycles);
        Assert.Null(onBase.BklHoldMaxCycles);
    }

    [Fact]
    public void Stats_are_min_lower_median_and_max()
    {
        Assert.Equal(new CycleStats(1, 3, 9, 4), CycleStats.Of([9, 1, 3, 5]));
        Assert.Equal(new CycleStats(2, 5, 7, 3), CycleStats.Of([7, 2, 5]));
        Assert.Equal(0, CycleStats.Of([]).Count);
    }
}
