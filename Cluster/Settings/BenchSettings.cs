using Akka.Configuration;

namespace H2Sim.Cluster.Settings;

/// <summary>h2sim.bench (hocon/h2sim.conf).</summary>
/// <param name="NaiveTimeout">How long `bench naive` may run before it is failed (it has no windows to time out).</param>
public sealed record BenchSettings(TimeSpan NaiveTimeout)
{
    public const string SectionPath = "h2sim.bench";

    public static BenchSettings From(Config config) => new(HoconSection.Of(config, SectionPath).Duration("naive-timeout"));
}
