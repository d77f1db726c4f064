using System.CommandLine;
using H2Sim.Cluster.Artifacts;
using H2Sim.Cluster.Faults;
using H2Sim.HwThreadActors.Explore;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>The options of `explore`, and what they ask for once parsed and checked.</summary>
public sealed class ExploreOptions
{
    public Option<IReadOnlyList<KernelVariant>> Kernel { get; } = ScenarioOptions.Kernels();

    public Option<KernelBug> Bugs { get; } = ScenarioOptions.Bugs();

    public Option<string[]> Parameters { get; } = ScenarioOptions.Params("Fix a scenario parameter, NAME=VALUE (repeatable)");

    public Option<ExploreStrategy> Strategy { get; } = StrategyOption.Create("random (swarm), pct, coverage (guided by race pairs and kill/interrupt states) or exhaustive (bounded)");

    public Option<int?> Runs { get; } = new("--runs") { Description = "Runs per scenario and kernel (default 200 unless --time is given; exhaustive: until its bounded space is covered)" };

    public Option<double?> Time { get; } = new("--time") { Description = "Wall-clock budget in seconds (per scenario and kernel); progress is by time" };

    public Option<string> Faults { get; } = new("--faults") { Description = "Message faults: none (correct hardware, the default), random (a plan drawn per run) or a fault plan file", DefaultValueFactory = _ => "none" };

    public Option<double?> GuestJitter { get; } = GuestJitterOption.Create($"± percent each guest compute step may vary (default {ExploreSettings.DefaultGuestJitterPercent}; 0 for none)");

    public Option<int> Depth { get; } = new("--depth") { Description = "pct: the bug depth d (d − 1 priority change points per run)", DefaultValueFactory = _ => 3 };

    public Option<int> Bound { get; } = new("--bound") { Description = "exhaustive: contested choices enumerated per run", DefaultValueFactory = _ => 10 };

    public Option<bool> NoStateHash { get; } = new("--no-state-hash") { Description = "exhaustive: run every assignment, even from a state already explored (measures the whole space)" };

    public Option<bool> Coverage { get; } = new("--coverage") { Description = "Print the coverage report (choices, race pairs, kill × state, interrupt × state, coverage against runs)" };

    public Option<string?> Report { get; } = new("--report") { Description = "Write the coverage page (a directory: the matrix page) and its JSON into this directory" };

    public Option<string?> Out { get; } = new("--out") { Description = "Directory for the failure logs, each minimised and replay-checked (default explore-out)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Kernel, Bugs, Parameters, Strategy, Runs, Time, Faults, GuestJitter, Depth, Bound, NoStateHash, Coverage, Report, Out })
        {
            command.Options.Add(option);
        }
    }

    public ExploreRequest Read(ParseResult parse)
    {
        var strategy = parse.GetValue(Strategy);
        var runs = parse.GetValue(Runs);
        var seconds = parse.GetValue(Time);
        if (runs is < 1 || seconds is <= 0 || parse.GetValue(Depth) < 1 || parse.GetValue(Bound) < 1)
        {
            throw new UsageException("--runs, --time, --depth and --bound must be positive");
        }

        var (mode, plan) = parse.GetValue(Faults) switch
        {
            "none" => (FaultMode.None, null),
            "random" => (FaultMode.Random, null),
            var file => (FaultMode.Plan, FaultPlanFile.Load(File.Exists(file) ? file : throw new UsageException($"--faults: no fault plan at {file} (none, random or a plan file)"))),
        };
        var jitter = parse.GetValue(GuestJitter) ?? ExploreSettings.DefaultGuestJitterPercent;
        _ = GuestJitterOption.Of(jitter);
        var settings = new ExploreSettings(strategy, parse.GetValue(GlobalOptions.Seed))
        {
            GuestJitterPercent = jitter,
            Faults = mode,
            Plan = plan,
            PctDepth = parse.GetValue(Depth),
            ExhaustiveBound = parse.GetValue(Bound),
            StateHashing = !parse.GetValue(NoStateHash),
        };
        return new ExploreRequest(
            settings,
            runs ?? (seconds is null && strategy != ExploreStrategy.Exhaustive ? 200 : int.MaxValue),
            seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            OutputPaths.Folder(parse.GetValue(Out) ?? "explore-out", "--out"),
            parse.GetValue(Report) is { } r ? OutputPaths.Folder(r, "--report") : null,
            parse.GetValue(Coverage),
            parse.GetValue(GlobalOptions.Json));
    }
}

/// <summary>A checked explore request: settings, limits, where things go, what to print.</summary>
public sealed record ExploreRequest(ExploreSettings Settings, int MaxRuns, TimeSpan? Budget, string OutDir, string? ReportDir, bool Coverage, bool Json);
