using System.CommandLine;
using H2Sim.HwThreadActors.Explore;

namespace H2Sim.Cli;

/// <summary>The argument and options of `h2sim compare`.</summary>
public sealed class CompareOptions
{
    public Argument<DirectoryInfo?> Directory { get; } = new("directory") { Description = "Scenario directory (default: the bundled upstream pthread suite)", Arity = ArgumentArity.ZeroOrOne };

    public Option<string[]> Designs { get; } = new("--design")
    {
        Description = "A design to compare, KERNEL or review:NAME=VALUE[,NAME=VALUE] (repeatable; default base, pr39, master, review, review:on-empty=auto-free)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<uint> Runs { get; } = CliParsers.WholeNumber32("--runs", "Runs per cell: the schedule sample and the exploration budget", 100, 1, 10_000);

    public Option<ExploreStrategy> Strategy { get; } = StrategyOption.Create("Exploration strategy of every cell (docs/exploration.md), message faults off");

    public Option<uint> Storms { get; } = CliParsers.WholeNumber32("--storms", "Generated teardown storms added to the scenarios (gen storm, 2 clusters × 3 VMs × 6 threads, seeds 1..K)", 2, 0, 64);

    public Option<string> Scaling { get; } = new("--scaling") { Description = "vCPU counts of the one-VM scaling scenario, comma-separated multiples of 4, or none", DefaultValueFactory = _ => "8,32,128,512" };

    public Option<uint> ScalingRuns { get; } = CliParsers.WholeNumber32("--scaling-runs", "Runs per scaling point", 3, 1, 1_000);

    public Option<string> Output { get; } = new("--out") { Description = "Directory for compare.html, compare.json, scenarios/ and logs/", DefaultValueFactory = _ => "compare-out" };

    public IEnumerable<Option> All => [Designs, Runs, Strategy, Storms, Scaling, ScalingRuns, Output];
}
