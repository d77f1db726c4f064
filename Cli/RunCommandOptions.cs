using System.CommandLine;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>The options of `h2sim run` (besides the cluster ones), and the run options they give.</summary>
public sealed class RunCommandOptions
{
    public Argument<FileInfo> File { get; } = new("scenario") { Description = "Scenario file (docs/scenarios.md)" };

    public Option<KernelActors.Config.KernelVariant> Kernel { get; } = ScenarioOptions.Kernel();

    public Option<KernelActors.Config.KernelBug> Bugs { get; } = ScenarioOptions.Bugs();

    public Option<string[]> Parameters { get; } = ScenarioOptions.Params("Override a scenario parameter, NAME=VALUE (repeatable)");

    public Option<string?> Record { get; } = new("--record") { Description = "Record the run to this log file (.h2log)" };

    public Option<string?> Timeline { get; } = new("--timeline") { Description = "Write the run's timeline: OUT.html (a page) and OUT.json (Chrome trace events); OUT may end in .html or .json" };

    public Option<FileInfo?> FaultsFile { get; } = FaultOptions.PlanFile();

    public Option<string[]> FaultsInline { get; } = FaultOptions.Inline();

    public Option<double> CostJitter { get; } = FaultOptions.CostJitter();

    public Option<string[]> Raises { get; } = FaultOptions.Raise();

    public Option<double?> GuestJitter { get; } = GuestJitterOption.Create();

    public IEnumerable<Option> All => [Kernel, Bugs, Parameters, Record, Timeline, FaultsFile, FaultsInline, CostJitter, Raises, GuestJitter];

    /// <summary>The run's options: kernel, bugs, parameters, the global ones, the fault plan and guest jitter.</summary>
    public ScenarioRunOptions RunOptions(ParseResult parse) =>
        ScenarioOptions.RunOptions(
            parse,
            parse.GetValue(Kernel),
            Bugs,
            Parameters,
            parse.GetValue(GlobalOptions.Partitions),
            FaultOptions.Plan(parse.GetValue(FaultsFile), parse.GetValue(FaultsInline), parse.GetValue(CostJitter), parse.GetValue(Raises))) with
        {
            GuestJitter = GuestJitterOption.Of(parse.GetValue(GuestJitter)),
        };
}
