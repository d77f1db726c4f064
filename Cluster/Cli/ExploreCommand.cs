using System.CommandLine;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Scenarios;
using Spectre.Console;

namespace H2Sim.Cluster.Cli;

/// <summary>
/// `h2sim explore &lt;scenario&gt; --kernel K [--bug …] [--runs N | --time S] [--faults PLAN] [--out DIR]`:
/// swarm testing. Each run draws its own seed, fault plan, BKL order and cost jitter from --seed;
/// every distinct failure signature is minimised and saved once in DIR as a replayable log with a
/// one-line summary. Exit 1 when failures were found, 0 when none.
/// </summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("scenario") { Description = "Scenario file (docs/scenarios.md)" };
        var kernel = ScenarioOptions.Kernel(allowAll: false);
        var bugs = ScenarioOptions.Bugs();
        var parameters = ScenarioOptions.Params("Fix a scenario parameter, NAME=VALUE (repeatable)");
        var runs = new Option<int?>("--runs") { Description = "Number of runs (default 300 unless --time is given)" };
        var time = new Option<double?>("--time") { Description = "Wall-clock budget in seconds" };
        var faults = FaultOptions.PlanFile();
        var output = new Option<string>("--out") { Description = "Directory for the failure logs", DefaultValueFactory = _ => "explore-out" };
        var explore = new Command("explore", "Search many perturbed runs of a scenario for failures");
        explore.Arguments.Add(file);
        explore.Options.Add(kernel);
        explore.Options.Add(bugs);
        explore.Options.Add(parameters);
        explore.Options.Add(runs);
        explore.Options.Add(time);
        explore.Options.Add(faults);
        explore.Options.Add(output);
        explore.SetAction(int (parse) =>
        {
            var scenario = ScenarioOptions.Load(parse.GetValue(file)!);
            var options = ScenarioOptions.RunOptions(parse, kernel, bugs, parameters);
            var maxRuns = parse.GetValue(runs);
            var seconds = parse.GetValue(time);
            if (maxRuns is < 1 || seconds is <= 0)
            {
                throw new UsageException("--runs and --time must be positive");
            }

            var plan = parse.GetValue(faults) is { } planFile ? FaultOptions.Load(planFile.FullName) : null;
            var budget = seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            var limit = maxRuns ?? (budget is null ? 300 : int.MaxValue);
            var explorer = new Explorer(ReplayCommand.Resolver(), new ScenarioReducer());
            var template = ScenarioRunner.Spec(scenario, options);
            var outDir = OutputPaths.Folder(parse.GetValue(output)!, "--out");
            var json = parse.GetValue(GlobalOptions.Json);
            ExploreResult result;
            if (Terminal.ShowsProgressBar(json))
            {
                ExploreResult? done = null;
                AnsiConsole.Progress().Start(context =>
                {
                    var task = context.AddTask($"exploring {scenario.Name} on {options.Kernel}", maxValue: limit == int.MaxValue ? 1 : limit);
                    done = explorer.Explore(template, options.Seed, limit, budget, outDir, plan, (run, found) =>
                    {
                        task.Description = $"exploring {scenario.Name} on {options.Kernel}: {found} failure signature(s)";
                        task.Value = limit == int.MaxValue ? 0 : run;
                    });
                });
                result = done!;
            }
            else
            {
                result = explorer.Explore(template, options.Seed, limit, budget, outDir, plan, (run, found) =>
                {
                    if (!json && run % 50 == 0)
                    {
                        Terminal.Progress($"{run} runs, {found} failure signature(s)");
                    }
                });
            }

            Print(json, scenario.Name, options.Kernel, result);
            return result.Failures.Count > 0 ? ExitCodes.SimulationFailure : ExitCodes.Success;
        });
        return explore;
    }

    /// <summary>Each failure with its summary and the replay and minimize lines to paste (JSON: the same fields).</summary>
    private static void Print(bool json, string scenario, string kernel, ExploreResult result)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteString("scenario", scenario);
                w.WriteString("kernel", kernel);
                w.WriteNumber("runs", result.Runs);
                w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 3));
                w.WriteStartArray("failures");
                foreach (var failure in result.Failures)
                {
                    w.WriteStartObject();
                    w.WriteString("signature", failure.Signature);
                    w.WriteString("kind", failure.Kind);
                    w.WriteString("log", failure.Log);
                    w.WriteString("summary", failure.Summary);
                    w.WriteString("replay", ReproduceCommand.Replay(failure.Log, TimelineStem(failure.Log)));
                    w.WriteString("minimize", ReproduceCommand.Minimize(failure.Log, ReproduceCommand.MinimizedName(failure.Log)));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }));
        }
        else
        {
            Console.Out.WriteLine($"{result.Runs} runs in {result.WallSeconds:0.0} s: {result.Failures.Count} distinct failure(s)");
            foreach (var failure in result.Failures)
            {
                Console.Out.WriteLine($"  {failure.Log}: {failure.Summary}");
                Console.Out.WriteLine($"    replay:   {ReproduceCommand.Replay(failure.Log, TimelineStem(failure.Log))}");
                Console.Out.WriteLine($"    minimize: {ReproduceCommand.Minimize(failure.Log, ReproduceCommand.MinimizedName(failure.Log))}");
            }
        }
    }

    /// <summary>found/failure-01.h2log → found/failure-01: where its replay draws the timeline.</summary>
    private static string TimelineStem(string log) => Path.ChangeExtension(log, null);
}
