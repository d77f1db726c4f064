using Akka.Configuration;
using H2Sim.Core.Input;

namespace H2Sim.Cluster.Settings;

/// <summary>h2sim.engine (hocon/h2sim.conf; hocon/cluster.conf sets the dispatcher of a cluster).</summary>
/// <param name="WindowTimeout">How long one window may take before the run fails.</param>
/// <param name="MaxEventsPerBatch">The most events one exchange message carries (at least 1).</param>
/// <param name="PartitionDispatcher">The dispatcher partition actors run on (a config path).</param>
public sealed record EngineSettings(TimeSpan WindowTimeout, int MaxEventsPerBatch, string PartitionDispatcher)
{
    public const string SectionPath = "h2sim.engine";

    public static EngineSettings From(Config config)
    {
        var section = HoconSection.Of(config, SectionPath);
        var maxEventsPerBatch = section.Int("max-events-per-batch");
        if (maxEventsPerBatch < 1)
        {
            throw new InputException($"{SectionPath}.max-events-per-batch must be at least 1, got {maxEventsPerBatch}");
        }

        return new EngineSettings(section.Duration("window-timeout"), maxEventsPerBatch, section.Text("partition-dispatcher"));
    }
}
