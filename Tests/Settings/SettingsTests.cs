using Akka.Configuration;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Settings;
using H2Sim.Core.Input;
using H2Sim.Core.Phold;
using Xunit;

namespace H2Sim.Tests.Settings;

/// <summary>
/// Each h2sim.* HOCON section is read by one settings type, every key from the configuration and
/// none defaulted in code: an override changes the value, a missing key is an input error that
/// names its full path.
/// </summary>
public sealed class SettingsTests
{
    [Fact]
    public void Overrides_reach_every_engine_setting()
    {
        var config = HoconConfig.Embedded("h2sim.engine { window-timeout = 5s, max-events-per-batch = 7, partition-dispatcher = \"x\" }");

        Assert.Equal(new EngineSettings(TimeSpan.FromSeconds(5), 7, "x"), EngineSettings.From(config));
    }

    [Fact]
    public void Bench_and_phold_settings_come_from_their_sections()
    {
        var config = HoconConfig.Embedded("h2sim.bench.naive-timeout = 3s\nh2sim.phold { population-per-lp = 2, mean-delay-cycles = 9, lookahead-cycles = 4, groups = 5 }");

        Assert.Equal(TimeSpan.FromSeconds(3), BenchSettings.From(config).NaiveTimeout);
        Assert.Equal(new PholdSettings(new PholdShape(2, 9, 4, 5)), PholdSettings.From(config));
    }

    [Fact]
    public void The_cluster_section_lives_in_cluster_conf_only()
    {
        var cluster = HoconConfig.Load("cluster.conf");

        var settings = ClusterMembershipSettings.From(ConfigurationFactory.ParseString("h2sim.cluster.join-timeout = 2s").WithFallback(cluster));

        Assert.Equal(TimeSpan.FromSeconds(2), settings.JoinTimeout);
        Assert.True(settings.DeployTimeout > TimeSpan.Zero);
        var missing = Assert.Throws<InputException>(() => ClusterMembershipSettings.From(HoconConfig.Embedded()));
        Assert.Contains("no h2sim.cluster section", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_key_is_an_input_error_naming_its_path()
    {
        var config = ConfigurationFactory.ParseString("h2sim.engine { window-timeout = 1s, partition-dispatcher = \"x\" }");

        var error = Assert.Throws<InputException>(() => EngineSettings.From(config));

        Assert.Contains("h2sim.engine.max-events-per-batch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_limit_below_one_is_an_input_error()
    {
        var config = HoconConfig.Embedded("h2sim.engine.max-events-per-batch = 0");

        var error = Assert.Throws<InputException>(() => EngineSettings.From(config));

        Assert.Equal("h2sim.engine.max-events-per-batch must be at least 1, got 0", error.Message);
    }
}
