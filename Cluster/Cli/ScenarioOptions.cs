using System.CommandLine;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cluster.Cli;

/// <summary>Options the scenario verbs (run, suite, sweep) share: --kernel, --bug, --param.</summary>
public static class ScenarioOptions
{
    public static Option<string> Kernel(bool allowAll) => new("--kernel")
    {
        Description = allowAll ? "Kernel design: base, pr39, master, review or all" : "Kernel design: base, pr39, master or review",
        DefaultValueFactory = _ => allowAll ? "all" : "master",
    };

    public static Option<string[]> Bugs() => new("--bug")
    {
        Description = $"Put a historical bug back (repeatable): {string.Join(", ", KernelBugs.Names)}",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> Params(string description) => new("--param")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>One scenario run's options from --kernel, --bug, --param and the global --seed and --horizon.</summary>
    public static ScenarioRunOptions RunOptions(
        System.CommandLine.ParseResult parse,
        Option<string> kernel,
        Option<string[]> bugs,
        Option<string[]> parameters,
        int partitions = 1,
        H2Sim.Protocol.Model.FaultPlan? faults = null) =>
        new(
            Kernels(parse.GetValue(kernel)!)[0],
            ValidBugs(parse.GetValue(bugs)),
            parse.GetValue(GlobalOptions.Seed),
            Fixed(parse.GetValue(parameters)),
            parse.GetValue(GlobalOptions.Horizon),
            partitions,
            faults)
        {
            Costs = CostOptions.Of(parse),
            Policies = PolicyOptions.Of(parse, Kernels(parse.GetValue(kernel)!)),
            Check = parse.GetValue(GlobalOptions.Check),
        };

    /// <summary>The kernels a --kernel value names (all = the four designs).</summary>
    public static IReadOnlyList<string> Kernels(string value)
    {
        if (value == "all")
        {
            return KernelVariants.Names;
        }

        KernelVariants.Parse(value);
        return [value];
    }

    public static IReadOnlyList<string> ValidBugs(string[]? bugs)
    {
        var list = bugs ?? [];
        KernelBugs.Parse(list);
        return list;
    }

    /// <summary>Parses NAME=VALUE pairs; ranges (NAME=A..B) are left to the sweep.</summary>
    public static Dictionary<string, long> Fixed(IEnumerable<string>? pairs)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !ScenarioExpr.TryParseInteger(pair[(equals + 1)..], out var value))
            {
                throw new UsageException($"--param {pair}: expected NAME=VALUE with an integer value");
            }

            result[pair[..equals]] = value;
        }

        return result;
    }

    public static Scenario Load(FileInfo file)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new UsageException($"{file} is a directory: one scenario file runs with `run`; every scenario of a directory with `{ReproduceCommand.Program} suite {file}`");
        }

        return file.Exists ? ScenarioLoader.LoadFile(file.FullName) : throw new UsageException($"scenario file not found: {file.FullName}");
    }
}
