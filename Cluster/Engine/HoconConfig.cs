using Akka.Configuration;
using H2Sim.Cluster.Settings;
using H2Sim.Core.Phold;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Engine;

/// <summary>Loads the HOCON files shipped in hocon/ next to the binary (read once per process).</summary>
public static class HoconConfig
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "hocon");

    public static Config Load(string fileName = "h2sim.conf")
    {
        var path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"h2sim configuration not found: {path}");
        }

        return ConfigurationFactory.ParseString(File.ReadAllText(path));
    }

    /// <summary>The embedded engine's configuration, optionally with overrides on top.</summary>
    public static Config Embedded(string? overrides = null)
    {
        var config = Load();
        return string.IsNullOrWhiteSpace(overrides) ? config : ConfigurationFactory.ParseString(overrides).WithFallback(config);
    }

    /// <summary>A PHOLD spec: the shape from h2sim.phold in <paramref name="config"/>, the rest from the caller.</summary>
    public static ModelSpec PholdSpec(Config config, ulong seed, uint lps, ulong events, double remoteFraction)
    {
        var spec = PholdFactory.DefaultSpec(seed, lps, events, remoteFraction);
        var phold = PholdSettings.From(config);
        spec.LookaheadCycles = phold.LookaheadCycles;
        spec.Phold.PopulationPerLp = phold.PopulationPerLp;
        spec.Phold.MeanDelayCycles = phold.MeanDelayCycles;
        spec.Phold.Groups = phold.Groups;
        return spec;
    }
}
