using Akka.Configuration;
using H2Sim.Core.Phold;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Settings;

/// <summary>h2sim.phold (hocon/h2sim.conf): the shape of the PHOLD benchmark model.</summary>
public sealed record PholdSettings(PholdShape Shape)
{
    public const string SectionPath = "h2sim.phold";

    public static PholdSettings From(Config config)
    {
        var section = HoconSection.Of(config, SectionPath);
        return new PholdSettings(new PholdShape(
            (uint)section.Int("population-per-lp"),
            (ulong)section.Long("mean-delay-cycles"),
            (ulong)section.Long("lookahead-cycles"),
            (uint)section.Int("groups")));
    }

    /// <summary>A PHOLD spec of this shape; the size of the run from the caller.</summary>
    public ModelSpec Spec(ulong seed, uint lps, ulong events, double remoteFraction) =>
        PholdFactory.Spec(Shape, seed, lps, events, remoteFraction);
}
