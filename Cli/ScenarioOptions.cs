using System.CommandLine;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>Options the scenario verbs (run, suite, sweep) share: --kernel, --bug, --param.</summary>
public static class ScenarioOptions
{
    /// <summary>`--kernel NAME`: one design, parsed here into a <see cref="KernelVariant"/>.</summary>
    public static Option<KernelVariant> Kernel() =>
        CliParsers.Named("--kernel", "Kernel design: base, pr39, master or review", KernelVariant.Master, KernelVariants.TryParse, string.Join(", ", KernelVariants.Names));

    /// <summary>`--kernel NAME|all`: the designs a suite, an exploration matrix or a policy check covers.</summary>
    public static Option<IReadOnlyList<KernelVariant>> Kernels() =>
        CliParsers.Named("--kernel", "Kernel design: base, pr39, master, review or all", KernelVariants.All, TryParseKernels, $"{string.Join(", ", KernelVariants.Names)} or all");

    /// <summary>`--bug NAME` (repeatable): historical bugs put back, parsed here into <see cref="KernelBug"/> flags.</summary>
    public static Option<KernelBug> Bugs() => new("--bug")
    {
        Description = $"Put a historical bug back (repeatable): {string.Join(", ", KernelBugs.Names)}",
        Arity = System.CommandLine.ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => KernelBug.None,
        CustomParser = ParseBugs,
    };

    public static Option<string[]> Params(string description) => new("--param")
    {
        Description = description,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>One scenario run's options on <paramref name="kernel"/> from --bug, --param and the global options.</summary>
    /// <param name="commandKernels">Every design the command runs (a matrix); --policy must name one of them and reaches review only.</param>
    public static ScenarioRunOptions RunOptions(
        System.CommandLine.ParseResult parse,
        KernelVariant kernel,
        Option<KernelBug> bugs,
        Option<string[]> parameters,
        int partitions = 1,
        H2Sim.Protocol.Model.FaultPlan? faults = null,
        IReadOnlyList<KernelVariant>? commandKernels = null) =>
        new(
            kernel,
            parse.GetValue(bugs),
            parse.GetValue(GlobalOptions.Seed),
            Fixed(parse.GetValue(parameters)),
            parse.GetValue(GlobalOptions.Horizon),
            partitions,
            faults)
        {
            Costs = CostOptions.Of(parse),
            Policies = PolicyOptions.For(kernel, PolicyOptions.Of(parse, commandKernels ?? [kernel])),
            Check = parse.GetValue(GlobalOptions.Check),
        };

    private static bool TryParseKernels(string name, out IReadOnlyList<KernelVariant> kernels)
    {
        if (name == "all")
        {
            kernels = KernelVariants.All;
            return true;
        }

        var known = KernelVariants.TryParse(name, out var kernel);
        kernels = [kernel];
        return known;
    }

    private static KernelBug ParseBugs(System.CommandLine.Parsing.ArgumentResult result)
    {
        var bugs = KernelBug.None;
        foreach (var token in result.Tokens)
        {
            if (!KernelBugs.TryParse(token.Value, out var bug))
            {
                result.AddError($"--bug must be one of {string.Join(", ", KernelBugs.Names)}, got '{token.Value}'");
                return KernelBug.None;
            }

            bugs |= bug;
        }

        return bugs;
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
