using Akka.Configuration;

namespace H2Sim.Cluster.Settings;

/// <summary>h2sim.phold (hocon/h2sim.conf): the shape of the PHOLD benchmark model.</summary>
public sealed record PholdSettings(uint PopulationPerLp, ulong MeanDelayCycles, ulong LookaheadCycles, uint Groups)
{
    public const string SectionPath = "h2sim.phold";

    public static PholdSettings From(Config config)
    {
        var section = HoconSection.Of(config, SectionPath);
        return new PholdSettings(
            (uint)section.Int("population-per-lp"),
            (ulong)section.Long("mean-delay-cycles"),
            (ulong)section.Long("lookahead-cycles"),
            (uint)section.Int("groups"));
    }
}
