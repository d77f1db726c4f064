using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using Xunit;

namespace H2Sim.Tests.Engine;

public sealed class HoconConfigTests
{
    [Fact]
    public void The_shipped_phold_settings_equal_the_library_defaults_so_cli_and_library_hashes_agree()
    {
        var fromHocon = HoconConfig.PholdSpec(HoconConfig.Embedded(), seed: 7, lps: 1024, events: 1000, remoteFraction: 0.25);

        Assert.Equal(PholdFactory.DefaultSpec(seed: 7, lps: 1024, events: 1000, remote: 0.25), fromHocon);
    }

    [Fact]
    public void Overrides_replace_shipped_settings()
    {
        var config = HoconConfig.Embedded("h2sim.phold.population-per-lp = 3");

        Assert.Equal(3u, HoconConfig.PholdSpec(config, 1, 1024, 1000, 0.25).Phold.PopulationPerLp);
        Assert.Equal("off", config.GetString("akka.actor.serialize-messages"));
    }
}
