using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Settings;
using Xunit;

namespace H2Sim.Tests.Engine;

public sealed class HoconConfigTests
{
    [Fact]
    public void A_shipped_file_is_read_once_per_process()
    {
        Assert.Same(HoconConfig.Load(), HoconConfig.Load());
        Assert.Same(HoconConfig.Load("cluster.conf"), HoconConfig.Load("cluster.conf"));
        Assert.NotSame(HoconConfig.Load(), HoconConfig.Load("cluster.conf"));
    }

    [Fact]
    public void Overrides_replace_shipped_settings()
    {
        var config = HoconConfig.Embedded("h2sim.phold.population-per-lp = 3");

        Assert.Equal(3u, PholdSettings.From(config).Spec(1, 1024, 1000, 0.25).Phold.PopulationPerLp);
        Assert.Equal("off", config.GetString("akka.actor.serialize-messages"));
    }
}
