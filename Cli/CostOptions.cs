using System.CommandLine;
using System.Globalization;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// `--cost NAME=CYCLES` (repeatable): overrides one cost of hocon/costs.conf for this run, by the
/// names the file uses; an unknown name is an input error that lists the valid ones.
/// </summary>
public static class CostOptions
{
    public static Option<string[]> Create() => new("--cost")
    {
        Description = "Override a cost of hocon/costs.conf, NAME=CYCLES (repeatable), e.g. --cost futex-wait=200",
        AllowMultipleArgumentsPerToken = false,
        Recursive = true,
    };

    /// <summary>The run's --cost overrides.</summary>
    public static Dictionary<string, ulong> Of(System.CommandLine.ParseResult parse) => Parse(parse.GetValue(GlobalOptions.Costs));

    /// <summary>The overrides by name; each name checked against the cost model.</summary>
    public static Dictionary<string, ulong> Parse(IEnumerable<string>? texts)
    {
        var overrides = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var text in texts ?? [])
        {
            var parts = text.Split('=', 2);
            if (parts.Length != 2 || !ulong.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var cycles))
            {
                throw new UsageException($"--cost expects NAME=CYCLES with a non-negative whole number of cycles, got '{text}'");
            }

            var name = parts[0].Trim();
            if (!CostModel.Names.Contains(name))
            {
                throw new UsageException($"--cost {text}: unknown cost '{name}' (valid: {string.Join(", ", CostModel.Names)})");
            }

            overrides[name] = cycles;
        }

        return overrides;
    }
}
