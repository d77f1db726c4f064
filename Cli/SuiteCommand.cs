using System.CommandLine;
using System.Globalization;
using H2Sim.Cluster.Artifacts;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim suite [DIR] --kernel base|pr39|master|all [--bug B] [--report DIR] [--junit FILE] [--record DIR] [--json]`:
/// every scenario of a directory (default: the bundled upstream pthread suite) on each kernel,
/// judged as upstream judges test.log (<see cref="Verdict"/>). Runs in-process on all cores (no
/// actor system: 114 short runs), writes DIR/test_results.json and DIR/test_report.html and the
/// JUnit file, and prints the matrix and `N passed, M failed` per kernel. Every output path is
/// checked before the first run. A progress bar on a terminal; when stdout is redirected, one
/// progress line per run on stderr and only results on stdout. Exit 0 when every run passed, 1 otherwise.
/// </summary>
public static class SuiteCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo?>("dir")
        {
            Description = "Directory of scenario files (*.yaml); default: the bundled upstream pthread suite",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var kernel = ScenarioOptions.Kernels();
        var bugs = ScenarioOptions.Bugs();
        var report = new Option<string?>("--report") { Description = "Write test_results.json and test_report.html into this directory" };
        var junit = new Option<string?>("--junit") { Description = "Write the results as JUnit XML to this file (one test case per test × kernel)" };
        var record = new Option<string?>("--record") { Description = "Record every run as DIR/<test>.<kernel>.h2log" };
        var suite = new Command("suite", "Run every scenario of a directory on each kernel and report verdicts");
        suite.Arguments.Add(directory);
        suite.Options.Add(kernel);
        suite.Options.Add(bugs);
        suite.Options.Add(report);
        suite.Options.Add(junit);
        suite.Options.Add(record);
        suite.SetAction(int (parse) =>
        {
            var given = parse.GetValue(directory)?.ToString();
            var dir = given ?? BundledScenarios.PthreadSuite;
            if (!Directory.Exists(dir))
            {
                throw new UsageException($"scenario directory not found: {Path.GetFullPath(dir)}");
            }

            var kernels = parse.GetValue(kernel)!;
            var bugList = parse.GetValue(bugs);
            var reportDir = parse.GetValue(report) is { } r ? OutputPaths.Folder(r, "--report") : null;
            var junitFile = parse.GetValue(junit) is { } j ? OutputPaths.File(j, "--junit") : null;
            var recordDir = parse.GetValue(record) is { } d ? OutputPaths.Folder(d, "--record") : null;
            var json = parse.GetValue(GlobalOptions.Json);
            var scenarios = SuiteRunner.LoadDirectory(Path.GetFullPath(dir));
            var info = new SuiteRunInfo(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))), dir, parse.GetValue(GlobalOptions.Seed), bugList, parse.GetValue(GlobalOptions.Horizon));
            var costs = CostOptions.Of(parse);
            var policies = PolicyOptions.Of(parse, kernels);
            info = info with { Policies = policies };
            ScenarioRunOptions Options(KernelVariant k) => new(k, bugList, info.Seed, null, info.HorizonCycles, 1) { Costs = costs, Policies = PolicyOptions.For(k, policies) };

            var result = Terminal.ShowsProgressBar(json)
                ? RunWithProgressBar(scenarios, kernels, Options)
                : RunPlain(scenarios, kernels, Options, json);
            var artifacts = WriteArtifacts(result, info, scenarios, kernels, Options, reportDir, junitFile, recordDir);

            if (json)
            {
                Console.Out.WriteLine(SuiteReport.SummaryJson(result, info, artifacts));
            }
            else
            {
                PrintMatrix(result);
                foreach (var k in result.Kernels)
                {
                    var (passed, failed) = result.Count(k);
                    Console.Out.WriteLine($"{k.Name()}: {passed} passed, {failed} failed");
                }

                Console.Out.WriteLine($"{result.Entries.Count} runs in {result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s wall");
                Console.Out.WriteLine($"verdicts as the upstream harness judges test.log: {SuiteRunInfo.JudgedBy}");
                artifacts.Print();
            }

            return result.Entries.All(e => e.Verdict.Passed) ? ExitCodes.Success : ExitCodes.SimulationFailure;
        });
        return suite;
    }

    private static ArtifactList WriteArtifacts(SuiteResult result, SuiteRunInfo info, IReadOnlyList<Scenario> scenarios, IReadOnlyList<KernelVariant> kernels, Func<KernelVariant, ScenarioRunOptions> options, string? reportDir, string? junitFile, string? recordDir)
    {
        var artifacts = new ArtifactList();
        if (recordDir is not null)
        {
            // Each run again with a recorder (runs are deterministic: the same run, now logged).
            foreach (var scenario in scenarios)
            {
                foreach (var k in kernels)
                {
                    RunArtifacts.Run(scenario, options(k), Path.Combine(recordDir, $"{Path.GetFileNameWithoutExtension(scenario.File)}.{k.Name()}{Core.Recording.RunLog.Extension}"), null, new ArtifactList());
                }
            }

            artifacts.Add(recordDir, $"{scenarios.Count * kernels.Count} recorded runs, TEST.KERNEL.h2log");
        }

        if (reportDir is not null)
        {
            var results = Path.Combine(reportDir, "test_results.json");
            var page = Path.Combine(reportDir, "test_report.html");
            ArtifactFile.WriteText(results, SuiteReport.ResultsJson(result, info));
            ArtifactFile.WriteText(page, SuiteReport.Html(result, info));
            artifacts.Add(results, "every verdict with its seed, trace hash and reproduce command");
            artifacts.Add(page, "the matrix: click a cell for its run");
        }

        if (junitFile is not null)
        {
            ArtifactFile.Write(junitFile, stream => SuiteJUnit.Write(stream, result, info));
            artifacts.Add(junitFile, $"JUnit XML, {result.Entries.Count} test cases");
        }

        return artifacts;
    }

    private static SuiteResult RunPlain(IReadOnlyList<Scenario> scenarios, IReadOnlyList<KernelVariant> kernels, Func<KernelVariant, ScenarioRunOptions> options, bool quiet)
    {
        var done = 0;
        var total = scenarios.Count * kernels.Count;
        return SuiteRunner.Run(scenarios, kernels, options, entry =>
        {
            done++;
            if (!quiet)
            {
                Terminal.Progress($"[{done}/{total}] {entry.Test} {entry.Kernel.Name()} {entry.Verdict.Kind}");
            }
        });
    }

    private static SuiteResult RunWithProgressBar(IReadOnlyList<Scenario> scenarios, IReadOnlyList<KernelVariant> kernels, Func<KernelVariant, ScenarioRunOptions> options)
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
                    task.Description = $"{entry.Test} {entry.Kernel.Name()} {entry.Verdict.Kind}";
                });
            });
        return result!;
    }

    private static void PrintMatrix(SuiteResult result)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine($"{"test",-36} {string.Join(" ", result.Kernels.Select(k => k.Name().PadRight(9)))}".TrimEnd());
            foreach (var test in result.Tests)
            {
                Console.Out.WriteLine($"{test,-36} {string.Join(" ", result.Kernels.Select(k => result.At(test, k).Verdict.Kind.PadRight(9)))}".TrimEnd());
            }

            return;
        }

        var table = new Table().AddColumn("test");
        foreach (var k in result.Kernels)
        {
            table.AddColumn(k.Name());
        }

        foreach (var test in result.Tests)
        {
            table.AddRow(new[] { Markup.Escape(test) }.Concat(result.Kernels.Select(k => ReportText.Colour(result.At(test, k).Verdict.Kind))).ToArray());
        }

        AnsiConsole.Write(table);
    }
}
