using System.CommandLine;
using System.Globalization;
using H2Sim.HwThreadActors.Scenarios;
using Spectre.Console;

namespace H2Sim.Cluster.Cli;

/// <summary>
/// `h2sim suite &lt;dir&gt; --kernel base|pr39|master|all [--bug B] [--report DIR] [--json]`: every scenario
/// of a directory on each kernel, judged as upstream judges test.log (<see cref="Verdict"/>). Runs
/// in-process on all cores (no actor system: 114 short runs), writes DIR/test_results.json and
/// DIR/test_report.html, and prints `N passed, M failed` per kernel. A progress bar on a terminal,
/// one plain line per run when redirected. Exit 0 when every run passed, 1 otherwise.
/// </summary>
public static class SuiteCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "Directory of scenario files (*.yaml)" };
        var kernel = ScenarioOptions.Kernel(allowAll: true);
        var bugs = ScenarioOptions.Bugs();
        var report = new Option<DirectoryInfo?>("--report") { Description = "Write test_results.json and test_report.html here" };
        var record = new Option<DirectoryInfo?>("--record") { Description = "Record every run as DIR/<test>.<kernel>.h2log" };
        var suite = new Command("suite", "Run every scenario of a directory on each kernel and report verdicts");
        suite.Arguments.Add(directory);
        suite.Options.Add(kernel);
        suite.Options.Add(bugs);
        suite.Options.Add(report);
        suite.Options.Add(record);
        suite.SetAction(int (parse) =>
        {
            var dir = parse.GetValue(directory)!;
            if (!dir.Exists)
            {
                throw new UsageException($"scenario directory not found: {dir.FullName}");
            }

            var kernels = ScenarioOptions.Kernels(parse.GetValue(kernel)!);
            var bugList = ScenarioOptions.ValidBugs(parse.GetValue(bugs));
            var seed = parse.GetValue(GlobalOptions.Seed);
            var horizon = parse.GetValue(GlobalOptions.Horizon);
            var json = parse.GetValue(GlobalOptions.Json);
            var scenarios = SuiteRunner.LoadDirectory(dir.FullName);
            var costs = CostOptions.Of(parse);
            ScenarioRunOptions Options(string k) => new(k, bugList, seed, null, horizon, 1) { Costs = costs };

            var result = json || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive
                ? RunPlain(scenarios, kernels, Options, json)
                : RunWithProgressBar(scenarios, kernels, Options);

            if (parse.GetValue(record) is { } recordDir)
            {
                // Each run again with a recorder (runs are deterministic: the same run, now logged).
                foreach (var scenario in scenarios)
                {
                    foreach (var k in kernels)
                    {
                        RunArtifacts.Run(scenario, Options(k), Path.Combine(recordDir.FullName, $"{scenario.Name}.{k}.h2log"), null);
                    }
                }
            }

            if (parse.GetValue(report) is { } reportDir)
            {
                Directory.CreateDirectory(reportDir.FullName);
                File.WriteAllText(Path.Combine(reportDir.FullName, "test_results.json"), SuiteReport.ResultsJson(result));
                File.WriteAllText(Path.Combine(reportDir.FullName, "test_report.html"), SuiteReport.Html(result, dir.Name, bugList, seed));
            }

            if (json)
            {
                Console.Out.WriteLine(SuiteReport.SummaryJson(result, dir.Name, bugList, seed));
            }
            else
            {
                PrintMatrix(result);
                foreach (var k in result.Kernels)
                {
                    var (passed, failed) = result.Count(k);
                    Console.Out.WriteLine($"{k}: {passed} passed, {failed} failed");
                }

                Console.Out.WriteLine($"{result.Entries.Count} runs in {result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s wall");
            }

            return result.Entries.All(e => e.Verdict.Passed) ? ExitCodes.Success : ExitCodes.SimulationFailure;
        });
        return suite;
    }

    private static SuiteResult RunPlain(IReadOnlyList<Scenario> scenarios, IReadOnlyList<string> kernels, Func<string, ScenarioRunOptions> options, bool quiet)
    {
        var done = 0;
        var total = scenarios.Count * kernels.Count;
        return SuiteRunner.Run(scenarios, kernels, options, entry =>
        {
            done++;
            if (!quiet)
            {
                Console.Out.WriteLine($"[{done}/{total}] {entry.Test} {entry.Kernel} {entry.Verdict.Kind}");
            }
        });
    }

    private static SuiteResult RunWithProgressBar(IReadOnlyList<Scenario> scenarios, IReadOnlyList<string> kernels, Func<string, ScenarioRunOptions> options)
    {
        SuiteResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"{scenarios.Count} scenarios × {kernels.Count} kernel(s)", maxValue: scenarios.Count * kernels.Count);
                result = SuiteRunner.Run(scenarios, kernels, options, entry =>
                {
                    task.Increment(1);
                    task.Description = $"{entry.Test} {entry.Kernel} {entry.Verdict.Kind}";
                });
            });
        return result!;
    }

    private static void PrintMatrix(SuiteResult result)
    {
        if (Console.IsOutputRedirected)
        {
            foreach (var test in result.Tests)
            {
                Console.Out.WriteLine($"{test,-36} {string.Join(" ", result.Kernels.Select(k => result.At(test, k).Verdict.Kind.PadRight(9)))}");
            }

            return;
        }

        var table = new Table().AddColumn("test");
        foreach (var k in result.Kernels)
        {
            table.AddColumn(k);
        }

        foreach (var test in result.Tests)
        {
            table.AddRow(new[] { Markup.Escape(test) }.Concat(result.Kernels.Select(k => ReportText.Colour(result.At(test, k).Verdict.Kind))).ToArray());
        }

        AnsiConsole.Write(table);
    }
}
