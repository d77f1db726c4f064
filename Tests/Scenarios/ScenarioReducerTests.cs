using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>The scenario's removable parts for minimisation: VMs, threads with their creates, !optional operations, clusters, hthreads.</summary>
public sealed class ScenarioReducerTests
{
    private const string Text = """
        scenario: reducible
        topology: v73
        vms:
          - name: test
            objects:
              s: sem
            threads:
              main:
                - create: {thread: helper, id: h}
                - !optional {spin: 500}
                - print: TEST PASSED
              helper:
                - sem_wait: s
          - name: other
            cluster: 1
            threads:
              main:
                - spin: 10
        """;

    [Fact]
    public void An_optional_operation_loads_and_each_reduction_removes_one_part()
    {
        var scenario = ScenarioLoader.Load(Text, "reducible.yaml");
        Assert.Equal(2, scenario.Vms.Count);

        var spec = ScenarioRunner.Spec(scenario, new ScenarioRunOptions(KernelVariant.Master));
        var sizes = new ScenarioReducer().Reductions(spec).Select(s => ScenarioReducer.Size(s.Kernel.ScenarioText)).ToList();
        var original = ScenarioReducer.Size(Text);

        Assert.Equal(new ScenarioSize(2, 3, 5, (2, 4)), original);
        Assert.Contains(sizes, s => s.Vms == 1);                                   // a VM removed
        Assert.Contains(sizes, s => s.Threads == 2 && s.Operations == 3);          // helper and its create
        Assert.Contains(sizes, s => s.Operations == 4 && s.Threads == 3);          // the !optional spin
        Assert.Contains(sizes, s => s.HThreads == (2, 3));                         // one hthread fewer
        Assert.All(sizes, s => Assert.True(s.Vms + s.Threads + s.Operations + s.HThreads.PerCluster < original.Vms + original.Threads + original.Operations + original.HThreads.PerCluster));
    }

    [Fact]
    public void A_reduced_scenario_keeps_its_optional_tags_so_the_next_round_can_still_drop_them()
    {
        var spec = ScenarioRunner.Spec(ScenarioLoader.Load(Text, "reducible.yaml"), new ScenarioRunOptions(KernelVariant.Master));
        var withoutOtherVm = new ScenarioReducer().Reductions(spec).First(s => ScenarioReducer.Size(s.Kernel.ScenarioText).Vms == 1 && s.Kernel.ScenarioText.Contains("spin: 500", StringComparison.Ordinal));
        var size = ScenarioReducer.Size(withoutOtherVm.Kernel.ScenarioText);

        var next = new ScenarioReducer().Reductions(withoutOtherVm).Select(s => ScenarioReducer.Size(s.Kernel.ScenarioText)).ToList();

        Assert.Contains(ScenarioReducer.OptionalTag, withoutOtherVm.Kernel.ScenarioText, StringComparison.Ordinal);
        Assert.Contains(next, s => s.Threads == size.Threads && s.Operations == size.Operations - 1);   // the !optional spin, again
    }
}
