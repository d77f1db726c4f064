using H2Sim.Cluster.Engine;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Kernel.Config;

public sealed class CostModelConfigTests
{
    [Fact]
    public void Costs_conf_names_every_cost_and_matches_the_built_in_defaults()
    {
        var loaded = CostModelConfig.Load();
        Assert.Equal(new CostModel(), loaded);
    }

    [Fact]
    public void An_override_changes_that_cost_only_and_a_bad_one_is_an_input_error()
    {
        var loaded = CostModelConfig.Load(["futex-wait=999"]);
        Assert.Equal(999UL, loaded.FutexWait);
        Assert.Equal(new CostModel().FutexWake, loaded.FutexWake);

        Assert.Contains("unknown cost 'no-such-path'", Assert.Throws<ArgumentException>(() => CostModelConfig.Load(["no-such-path=5"])).Message);
        Assert.Throws<ArgumentException>(() => CostModelConfig.Load(["futex-wait=-5"]));
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

        var normal = H2Run.Run(System(new CostModel()), "master").Result;
        var slow = H2Run.Run(System(new CostModel() with { ThreadStop = 50_000 }), "master").Result;

        Assert.Equal("exit", slow.Report.OutcomeKind);
        Assert.True(slow.VirtualCycles > normal.VirtualCycles + 40_000);
    }
}
