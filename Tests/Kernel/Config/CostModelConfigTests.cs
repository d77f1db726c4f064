using H2Sim.Cli;
using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Config;

/// <summary>The cost model is configuration: hocon/costs.conf is what a run uses, overridable by name.</summary>
public sealed class CostModelConfigTests
{
    private static string CostsFile => Path.Combine(ScenarioTestSupport.RepositoryRoot, "hocon", "costs.conf");

    [Fact]
    public void The_defaults_are_the_repository_costs_file_and_it_names_every_cost()
    {
        var fromFile = CostModel.FromText(File.ReadAllText(CostsFile), "costs.conf").ToDictionary();
        Assert.Equal(fromFile, CostModel.Defaults.ToDictionary());
        Assert.Equal(CostModel.Names.Order(StringComparer.Ordinal), fromFile.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Editing_the_costs_text_changes_the_model_it_builds()
    {
        var text = File.ReadAllText(CostsFile).Replace("futex-wait = 120", "futex-wait = 777", StringComparison.Ordinal);
        Assert.Equal(777UL, CostModel.FromText(text, "edited").FutexWaitCycles);
        Assert.Throws<InputException>(() => CostModel.FromText(text.Replace("futex-wait = 777", "futex-wiat = 777", StringComparison.Ordinal), "typo"));
        Assert.Throws<InputException>(() => CostModel.FromText(text.Replace("futex-wait = 777\n", string.Empty, StringComparison.Ordinal), "missing"));
    }

    [Fact]
    public void A_cost_override_changes_that_cost_only_and_a_bad_one_is_an_input_error()
    {
        var overrides = CostOptions.Parse(["futex-wait=999"]);
        var model = CostModel.Defaults.With(overrides);
        Assert.Equal(999UL, model.FutexWaitCycles);
        Assert.Equal(CostModel.Defaults.FutexWakeCycles, model.FutexWakeCycles);

        var unknown = Assert.Throws<UsageException>(() => CostOptions.Parse(["no-such-path=5"]));
        Assert.Contains("unknown cost 'no-such-path'", unknown.Message);
        Assert.Contains("futex-wait", unknown.Message);
        Assert.Throws<UsageException>(() => CostOptions.Parse(["futex-wait=-5"]));
    }

    [Fact]
    public void A_scenario_costs_block_takes_the_hyphenated_names_of_the_costs_file()
    {
        const string Text = """
            scenario: costs
            topology: {clusters: 1, hthreads: 2}
            costs:
              thread-stop: 50000
              interconnect-latency: 3000
            vms:
              - name: test
                threads:
                  main: [{print: TEST PASSED}]
            """;
        var scenario = ScenarioLoader.Load(Text, "costs.yaml");
        var costs = scenario.Build().Costs;
        Assert.Equal(50_000UL, costs.ThreadStopCycles);
        Assert.Equal(3_000UL, costs.InterconnectLatencyCycles);
        Assert.Equal(CostModel.Defaults.FutexWaitCycles, costs.FutexWaitCycles);
    }

    [Fact]
    public void A_slower_kernel_path_makes_the_same_program_take_more_virtual_time()
    {
        static SystemDefinition System(CostModel costs)
        {
            var definition = KernelTestSystems.OneVm(t => [GuestAction.Spin(100)]);
            definition.Costs = costs;
            return definition;
        }

        var normal = H2Run.Run(System(CostModel.Defaults), KernelVariant.Master).Result;
        var slow = H2Run.Run(System(CostModel.Defaults.With(new Dictionary<string, ulong> { ["thread-stop"] = 50_000 })), KernelVariant.Master).Result;

        Assert.Equal("exit", slow.Report.OutcomeKind);
        Assert.True(slow.VirtualCycles > normal.VirtualCycles + 40_000);
    }
}
