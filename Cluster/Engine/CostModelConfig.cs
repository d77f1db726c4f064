using System.Globalization;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cluster.Engine;

/// <summary>Reads the cost model from hocon/costs.conf and applies per-run `--cost name=cycles` overrides.</summary>
public static class CostModelConfig
{
    public static CostModel Load(IEnumerable<string>? overrides = null)
    {
        var section = HoconConfig.Load("costs.conf").GetConfig("h2sim.costs");
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (name, _) in section.AsEnumerable())
        {
            values[name] = (ulong)section.GetLong(name);
        }

        foreach (var text in overrides ?? [])
        {
            var (name, cycles) = ParseOverride(text);
            values[name] = cycles;
        }

        return new CostModel().With(values);
    }

    /// <summary>"name=cycles" → (name, cycles); a usage error otherwise.</summary>
    public static (string Name, ulong Cycles) ParseOverride(string text)
    {
        var parts = text.Split('=', 2);
        if (parts.Length != 2 || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cycles))
        {
            throw new ArgumentException($"--cost expects NAME=CYCLES with a non-negative whole number, got '{text}'");
        }

        return (parts[0].Trim(), cycles);
    }
}
