using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using H2Sim.Cluster.Artifacts;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// `explore DIR --kernel all`: every scenario of a directory explored on each kernel, as the suite
/// runs them, reported in the suite's format: a matrix of tests × kernels (distinct failures found,
/// runs to the first, coverage) on the terminal, explore_results.json (the figures, then per cell its
/// failures, coverage and the command that explores that cell alone) and explore_report.html (the
/// matrix; a cell opens its coverage section, or the page opens at #TEST.KERNEL).
/// </summary>
public static class ExploreMatrix
{
    public static int Run(string directory, ParseResult parse, ExploreOptions o, ExploreRequest request)
    {
        var scenarios = SuiteRunner.LoadDirectory(directory);
        var kernels = parse.GetValue(o.Kernel)!;
        var cells = new List<Cell>();
        var total = System.Diagnostics.Stopwatch.StartNew();
        foreach (var scenario in scenarios)
        {
            foreach (var kernel in kernels)
            {
                var options = ScenarioOptions.RunOptions(parse, kernel, o.Bugs, o.Parameters, commandKernels: kernels);
                var test = Path.GetFileNameWithoutExtension(scenario.File);
                var outDir = Path.Combine(request.OutDir, $"{test}.{kernel.Name()}");
                var result = ExploreRunner.Explore(scenario, options, request, $"[{cells.Count + 1}/{scenarios.Count * kernels.Count}] {test} {kernel.Name()}", outDir);
                cells.Add(new Cell(test, kernel, scenario, options, result));
            }
        }

        var artifacts = new ArtifactList();
        if (request.ReportDir is { } dir)
        {
            var json = Path.Combine(dir, "explore_results.json");
            var page = Path.Combine(dir, "explore_report.html");
            ArtifactFile.WriteText(json, Json(cells, request, directory, total.Elapsed.TotalSeconds, null));
            ArtifactFile.WriteText(page, Html(cells, request, directory, total.Elapsed.TotalSeconds));
            artifacts.Add(json, "every cell's figures, failures, coverage and command");
            artifacts.Add(page, "the matrix: click a cell for its failures and coverage");
        }

        if (request.Json)
        {
            Console.Out.WriteLine(Json(cells, request, directory, total.Elapsed.TotalSeconds, artifacts));
        }
        else
        {
            PrintText(cells, kernels, request, total.Elapsed.TotalSeconds);
            artifacts.Print();
        }

        return cells.Any(c => c.Result.Failures.Count > 0) ? ExitCodes.SimulationFailure : ExitCodes.Success;
    }

    private static void PrintText(List<Cell> cells, IReadOnlyList<KernelVariant> kernels, ExploreRequest request, double seconds)
    {
        var o = Console.Out;
        o.WriteLine($"{"test",-36} {string.Join(" ", kernels.Select(k => k.Name().PadRight(22)))}".TrimEnd());
        foreach (var test in cells.Select(c => c.Test).Distinct())
        {
            o.WriteLine($"{test,-36} {string.Join(" ", kernels.Select(k => CellText(cells.First(c => c.Test == test && c.Kernel == k).Result).PadRight(22)))}".TrimEnd());
        }

        var runs = cells.Sum(c => c.Result.Runs);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cells.Count} cells, {runs} runs in {seconds:0.0} s ({runs / Math.Max(seconds, 1e-9):0} runs/s), {request.Settings.Strategy.Name()}, faults {ExploreOutput.FaultsText(request.Settings)}, guest jitter ±{request.Settings.GuestJitterPercent}%"));
        foreach (var kernel in kernels)
        {
            var mine = cells.Where(c => c.Kernel == kernel).ToList();
            o.WriteLine($"{kernel.Name()}: {mine.Count(c => c.Result.Failures.Count > 0)} of {mine.Count} tests with failures, {mine.Sum(c => c.Result.Failures.Count)} distinct failure(s), coverage {mine.Sum(c => c.Result.Coverage.Count)} items");
        }

        foreach (var cell in cells.Where(c => c.Result.Failures.Count > 0))
        {
            foreach (var failure in cell.Result.Failures)
            {
                o.WriteLine($"  {cell.Test} {cell.Kernel.Name()}: {failure.Summary}{(failure.Log is { } log ? $" [{log}]" : string.Empty)}");
            }
        }
    }

    /// <summary>"none (cov 41)" or "2 fail @1 (cov 57)": distinct failures, the run of the first, coverage items.</summary>
    private static string CellText(ExploreResult r) => r.Failures.Count == 0
        ? $"none (cov {r.Coverage.Count})"
        : $"{r.Failures.Count} fail @{r.RunsToFirstFailure} (cov {r.Coverage.Count})";

    private static string Command(Cell cell, ExploreRequest request) => ReproduceCommand.Join(
        new[] { ReproduceCommand.Program, "explore", cell.Scenario.File, "--kernel", cell.Kernel.Name(), "--strategy", request.Settings.Strategy.Name(), "--runs", cell.Result.Runs.ToString(CultureInfo.InvariantCulture), "--seed", request.Settings.Seed.ToString(CultureInfo.InvariantCulture), "--faults", request.Settings.Faults == FaultMode.None ? "none" : request.Settings.Faults == FaultMode.Random ? "random" : "PLAN", "--guest-jitter", request.Settings.GuestJitterPercent.ToString(CultureInfo.InvariantCulture) }
            .Concat(KernelBugs.NamesOf(cell.Options.Bugs).SelectMany(b => new[] { "--bug", b }))
            .Concat(cell.Options.Policies?.Pairs().SelectMany(p => new[] { "--policy", $"{p.Key}={p.Value}" }) ?? []));

    private static string Json(List<Cell> cells, ExploreRequest request, string directory, double seconds, ArtifactList? artifacts) => JsonOutput.Write(w =>
    {
        w.WriteString("suite", Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)));
        w.WriteString("directory", directory);
        w.WriteString("strategy", request.Settings.Strategy.Name());
        w.WriteString("faults", ExploreOutput.FaultsText(request.Settings));
        w.WriteNumber("guestJitterPercent", request.Settings.GuestJitterPercent);
        w.WriteNumber("seed", request.Settings.Seed);
        w.WriteNumber("runs", cells.Sum(c => c.Result.Runs));
        w.WriteNumber("wallSeconds", Math.Round(seconds, 3));
        w.WriteNumber("runsPerSecond", Math.Round(cells.Sum(c => c.Result.Runs) / Math.Max(seconds, 1e-9), 1));
        w.WriteNumber("cellsWithFailures", cells.Count(c => c.Result.Failures.Count > 0));
        w.WriteNumber("distinctFailures", cells.Sum(c => c.Result.Failures.Count));
        w.WriteString("h2simVersion", Core.Recording.VersionInfo.Text);
        w.WriteStartArray("results");
        foreach (var cell in cells)
        {
            w.WriteStartObject();
            w.WriteString("test", cell.Test);
            w.WriteString("kernel", cell.Kernel.Name());
            w.WriteString("verdict", cell.Result.Failures.Count == 0 ? "NONE FOUND" : "FAILURES FOUND");
            w.WriteStartArray("bugs");
            foreach (var bug in KernelBugs.NamesOf(cell.Options.Bugs))
            {
                w.WriteStringValue(bug);
            }

            w.WriteEndArray();
            w.WriteString("command", Command(cell, request));
            ExploreOutput.WriteJson(w, cell.Test, cell.Kernel.Name(), request, cell.Result, null);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        artifacts?.WriteJson(w);
    });

    private static string Html(List<Cell> cells, ExploreRequest request, string directory, double seconds)
    {
        var kernels = cells.Select(c => c.Kernel).Distinct().ToList();
        var runs = cells.Sum(c => c.Result.Runs);
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"<h1>explore {WebUtility.HtmlEncode(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)))}: {cells.Count} cells</h1>\n");
        b.Append(CultureInfo.InvariantCulture, $"<p>{WebUtility.HtmlEncode(request.Settings.Strategy.Name())}, faults {WebUtility.HtmlEncode(ExploreOutput.FaultsText(request.Settings))}, guest jitter ±{request.Settings.GuestJitterPercent}%, seed {request.Settings.Seed}: {runs} runs in {seconds:0.0} s ({runs / Math.Max(seconds, 1e-9):0} runs/s); {cells.Count(c => c.Result.Failures.Count > 0)} cell(s) with failures, {cells.Sum(c => c.Result.Failures.Count)} distinct failure(s). A cell: distinct failures, the run of the first, coverage items; click it for its section.</p>\n");
        b.Append("<table><tr><th>test</th>");
        foreach (var kernel in kernels)
        {
            b.Append(CultureInfo.InvariantCulture, $"<th>{WebUtility.HtmlEncode(kernel.Name())}</th>");
        }

        b.Append("</tr>");
        foreach (var test in cells.Select(c => c.Test).Distinct())
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr><th>{WebUtility.HtmlEncode(test)}</th>");
            foreach (var kernel in kernels)
            {
                var cell = cells.First(c => c.Test == test && c.Kernel == kernel);
                var css = cell.Result.Failures.Count == 0 ? "hit" : "failcell";
                b.Append(CultureInfo.InvariantCulture, $"<td class=\"{css}\"><a href=\"#{WebUtility.HtmlEncode(test)}.{WebUtility.HtmlEncode(kernel.Name())}\">{WebUtility.HtmlEncode(CellText(cell.Result))}</a></td>");
            }

            b.Append("</tr>");
        }

        b.Append("</table>\n");
        foreach (var cell in cells)
        {
            b.Append(CultureInfo.InvariantCulture, $"<section id=\"{WebUtility.HtmlEncode(cell.Test)}.{WebUtility.HtmlEncode(cell.Kernel.Name())}\"><hr>");
            b.Append(ExploreCoveragePage.Section($"{cell.Test} on {cell.Kernel.Name()}", cell.Result));
            b.Append(CultureInfo.InvariantCulture, $"<p>explore this cell alone: <code>{WebUtility.HtmlEncode(Command(cell, request))}</code></p></section>\n");
        }

        return ExploreCoveragePage.Page($"explore {Path.GetFileName(Path.TrimEndingDirectorySeparator(directory))}", b.ToString()).Replace("</style>", "td.failcell { background: #f4cccc; } section:target { background: #fffbe6; }\n</style>", StringComparison.Ordinal);
    }

    private sealed record Cell(string Test, KernelVariant Kernel, Scenario Scenario, ScenarioRunOptions Options, ExploreResult Result);
}
