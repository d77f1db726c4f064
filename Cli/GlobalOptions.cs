using System.CommandLine;
using H2Sim.HwThreadActors.System;

namespace H2Sim.Cli;

/// <summary>Options every verb accepts (declared once on the root, recursive).</summary>
public static class GlobalOptions
{
    /// <summary>More partitions than this is a typing error, not a plan (style.md: a limit on everything).</summary>
    public const int PartitionsMax = 1024;

    public static readonly Option<ulong> Seed = CliParsers.WholeNumber(
        "--seed", "Run seed: every random decision derives from it", defaultValue: 1, recursive: true);

    public static readonly Option<int> Partitions = new("--partitions")
    {
        Description = $"Number of partitions (Akka actors) the system is split into, 1 to {PartitionsMax}",
        DefaultValueFactory = _ => 1,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                || value < 1 || value > PartitionsMax)
            {
                result.AddError($"--partitions must be a whole number between 1 and {PartitionsMax}, got '{text}'");
                return 1;
            }

            return value;
        },
        Recursive = true,
    };

    public static readonly Option<ulong> Horizon = CliParsers.WholeNumber(
        "--horizon", "Stop delivering events at this virtual time in cycles (0 = no horizon)", defaultValue: 0, recursive: true);

    /// <summary>`--cost NAME=CYCLES`, repeatable: one cost of hocon/costs.conf for this run (CostOptions).</summary>
    public static readonly Option<string[]> Costs = CostOptions.Create();

    /// <summary>`--policy NAME=VALUE`, repeatable: one of the review kernel's policies (PolicyOptions).</summary>
    public static readonly Option<string[]> Policies = PolicyOptions.Create();

    /// <summary>A day: a longer limit is a typing error, not a plan.</summary>
    public const ulong TimeoutSecondsMax = 86_400;

    public static readonly Option<ulong> Timeout = CliParsers.WholeNumber(
        "--timeout",
        $"Wall-clock limit in seconds for the whole command (run, suite, sweep, explore, replay, minimize, bench); past it the work stops between windows or runs with verdict TIMEOUT (wall), exit 1. 0 = none, at most {TimeoutSecondsMax}",
        defaultValue: 0,
        max: TimeoutSecondsMax,
        recursive: true);

    /// <summary>`--check incremental|full`: what the kernel checks after each critical section (CheckModes).</summary>
    public static readonly Option<CheckMode> Check = CliParsers.Named(
        "--check",
        "Kernel state checks: incremental (after each critical section, what it changed; everything at the end) or full (everything after every section, as the tests run)",
        CheckMode.Incremental,
        CheckModes.TryParse,
        "incremental or full",
        recursive: true);

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print exactly one JSON object on stdout",
        Recursive = true,
    };
}
