using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// `gen storm`: supervisors parent child VMs on other clusters, children block in every state, then
/// are killed (KILL across clusters) or exit (CHILDINT across clusters). On master every VM drains
/// with the status its fate implies, and the trace hash does not depend on the partition count.
/// </summary>
public sealed class StormGeneratorTests
{
    private static Scenario Storm(int clusters, int vms, int threads, ulong seed) =>
        ScenarioLoader.Load(StormGenerator.Generate(new StormGenerator.Options(clusters, vms, threads, 0.6, 0.5, seed)).Text, "storm.yaml");

    [Fact]
    public void A_storm_drains_on_master_and_killed_children_report_the_kill_status()
    {
        var scenario = Storm(4, 6, 8, seed: 5);
        var run = ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master));

        Assert.Equal("PASS", run.Verdict.Kind);
        Assert.Equal(24, run.Result.Report.Vms.Count);
        Assert.Contains(run.Result.Report.Vms, v => v.Status == 0x6b);
        Assert.Contains(run.Result.Report.Vms, v => v.Name.StartsWith('c') && v.Status == 0);
    }

    [Fact]
    public void A_storm_has_the_same_hash_on_one_and_three_partitions_and_the_seed_decides_it()
    {
        var one = ScenarioRunner.Run(Storm(3, 4, 6, seed: 2), new ScenarioRunOptions(KernelVariant.Master, Partitions: 1));
        var three = ScenarioRunner.Run(Storm(3, 4, 6, seed: 2), new ScenarioRunOptions(KernelVariant.Master, Partitions: 3));

        Assert.Equal(one.Result.TraceHash, three.Result.TraceHash);
        Assert.NotEqual(StormGenerator.Generate(new StormGenerator.Options(3, 4, 6, 0.6, 0.5, 2)).Text, StormGenerator.Generate(new StormGenerator.Options(3, 4, 6, 0.6, 0.5, 3)).Text);
    }

    [Fact]
    public void Bad_storm_shapes_are_input_errors()
    {
        Assert.Throws<InputException>(() => StormGenerator.Generate(new StormGenerator.Options(1, 4, 4, 0.5, 0.5, 1)));
        Assert.Throws<InputException>(() => StormGenerator.Generate(new StormGenerator.Options(4, 63, 4, 0.5, 0.5, 1)));
        Assert.Throws<InputException>(() => StormGenerator.Generate(new StormGenerator.Options(4, 4, 4, 1.5, 0.5, 1)));
    }
}
