using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>The lookahead between partitions is the interconnect latency (the minimum cross-cluster delay), whatever the costs say.</summary>
public sealed class LookaheadTests
{
    private static Scenario CrossCluster() =>
        ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "cluster", "cross_cluster_supervisors.yaml"));

    [Fact]
    public void The_lookahead_follows_the_interconnect_latency_of_the_run()
    {
        var scenario = CrossCluster();
        var defaults = ScenarioRunner.Spec(scenario, new ScenarioRunOptions(KernelVariant.Master));
        var faster = ScenarioRunner.Spec(scenario, new ScenarioRunOptions(KernelVariant.Master) { Costs = new Dictionary<string, ulong> { ["interconnect-latency"] = 300 } });

        Assert.Equal(CostModel.Defaults.InterconnectLatencyCycles, defaults.LookaheadCycles);
        Assert.Equal(300UL, faster.LookaheadCycles);
    }

    [Fact]
    public void A_fast_interconnect_runs_on_two_partitions_with_the_one_partition_hash()
    {
        var scenario = CrossCluster();
        var costs = new Dictionary<string, ulong> { ["interconnect-latency"] = 300 };
        var one = ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master) { Costs = costs });
        var two = ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master, Partitions: 2) { Costs = costs });

        Assert.Equal(Verdict.Pass, one.Verdict.Kind);
        Assert.Equal(one.Result.TraceHash, two.Result.TraceHash);
        Assert.Equal(one.Result.Events, two.Result.Events);
    }

    [Fact]
    public void An_interconnect_without_latency_is_refused()
    {
        var costs = CostModel.Defaults.With(new Dictionary<string, ulong> { ["interconnect-latency"] = 0 });
        var error = Assert.Throws<InputException>(() => H2Run.LookaheadCycles(costs));
        Assert.Contains("interconnect-latency", error.Message, StringComparison.Ordinal);
    }
}
