using System.CommandLine;
using System.Globalization;
using H2Sim.Cluster.Artifacts;
using H2Sim.HwThreadActors.Compare;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim compare [DIR] [--design D …] [--runs N] [--storms K] [--scaling 8,32,128,512] [--out DIR]`:
/// the same scenarios (default the bundled pthread suite plus K generated storms) on several kernel
/// designs and review policy settings, each cell with its suite verdict, a schedule sample for the
/// teardown latency and longest-BKL-hold figures, and exploration with the same run budget; then the
/// scaling scenario at each VM size. Writes OUT/compare.html and OUT/compare.json, the generated
/// scenarios under OUT/scenarios and every failure's minimised log under OUT/logs. Failures are what
/// it reports, so it exits 0 when the page is written.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var o = new CompareOptions();
        var compare = new Command("compare", "Compare kernel designs on the same scenarios, exploration budget and figures");
        compare.Arguments.Add(o.Directory);
        foreach (var option in o.All)
        {
            compare.Options.Add(option);
        }

        compare.SetAction(int (parse) => Execute(parse, o));
        return compare;
    }

    private static int Execute(ParseResult parse, CompareOptions o)
    {
        if (parse.GetValue(GlobalOptions.Policies) is { Length: > 0 })
        {
            throw new UsageException("compare: give policies per design, e.g. --design review:on-empty=auto-free (not --policy)");
        }

        var columns = Designs(parse.GetValue(o.Designs));
        var sizes = ScalingSizes(parse.GetValue(o.Scaling)!);
        var outDir = OutputPaths.Folder(parse.GetValue(o.Output)!, "--out");
        var dir = parse.GetValue(o.Directory)?.ToString() ?? BundledScenarios.PthreadSuite;
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"scenario directory not found: {dir}");
        }

        var (scenarios, paths) = Scenarios(dir, outDir, (int)parse.GetValue(o.Storms));
        foreach (var n in sizes)
        {
            paths[ScalingScenario.Name(n)] = WriteScalingScenario(outDir, n);
        }

        var json = parse.GetValue(GlobalOptions.Json);
        var setup = new CompareSetup(scenarios, columns, (int)parse.GetValue(o.Runs), parse.GetValue(GlobalOptions.Seed), sizes, (int)parse.GetValue(o.ScalingRuns), Path.GetFullPath(outDir))
        {
            Paths = paths,
            Strategy = parse.GetValue(o.Strategy),
        };
        var result = new CompareRunner(new StrategyScenarioExplorer(setup.Strategy)).Run(setup, json ? null : Terminal.Progress);
        WriteOutputs(result, outDir, json);
        return ExitCodes.Success;
    }

    /// <summary>The directory's scenarios and K generated storms, each with the path its reproduce command names.</summary>
    private static (List<Scenario> Scenarios, Dictionary<string, string> Paths) Scenarios(string dir, string outDir, int storms)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var scenarios = new List<Scenario>();
        foreach (var scenario in SuiteRunner.LoadDirectory(Path.GetFullPath(dir)))
        {
            scenarios.Add(scenario);
            paths[scenario.Name] = Path.Combine(dir, scenario.File);
        }

        foreach (var (scenario, path) in WriteStorms(outDir, storms))
        {
            scenarios.Add(scenario);
            paths[scenario.Name] = path;
        }

        if (paths.Count != scenarios.Count || scenarios.Any(s => s.Name.StartsWith("scaling_", StringComparison.Ordinal)))
        {
            throw new UsageException($"compare: two scenarios share a name, or one is named scaling_*, in {dir}; each cell is named after its scenario");
        }

        return (scenarios, paths);
    }

    private static void WriteOutputs(CompareResult result, string outDir, bool json)
    {
        var artifacts = new ArtifactList();
        var jsonPath = Path.Combine(outDir, "compare.json");
        var htmlPath = Path.Combine(outDir, "compare.html");
        ArtifactFile.WriteText(jsonPath, CompareJson.Write(result, Command));
        ArtifactFile.WriteText(htmlPath, CompareHtml.Write(result, Command));
        artifacts.Add(htmlPath, "the page: verdicts, exploration failures with their logs, teardown figures, scaling");
        artifacts.Add(jsonPath, "the same, for machines");
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteNumber("cells", result.Cells.Count);
                w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 1));
                artifacts.WriteJson(w);
            }));
        }
        else
        {
            PrintSummary(result);
            artifacts.Print();
        }
    }

    private static string Command(string scenarioFile, CompareDesign design, ulong seed) =>
        ReproduceCommand.Run(scenarioFile, design.Kernel, seed, policies: design.Policies?.Pairs());

    private static IReadOnlyList<CompareDesign> Designs(string[]? texts)
    {
        if (texts is not { Length: > 0 })
        {
            return CompareDesign.Defaults;
        }

        var list = texts.Select(t => CompareDesign.Parse(t.Trim())).ToList();
        return list.Distinct().Count() == list.Count ? list : throw new UsageException("--design: a design is given twice");
    }

    private static IReadOnlyList<int> ScalingSizes(string text)
    {
        if (text.Trim() is "none" or "")
        {
            return [];
        }

        var sizes = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 8 || n > 65536 || n % 4 != 0)
            {
                throw new UsageException($"--scaling expects comma-separated vCPU counts, multiples of 4 from 8 to 65536, or none; got '{part}'");
            }

            sizes.Add(n);
        }

        return sizes.Distinct().Order().ToList();
    }

    /// <summary>Storms 1..K written under OUT/scenarios (each named storm_K), so every cell's command and log names a real file.</summary>
    private static IEnumerable<(Scenario Scenario, string Path)> WriteStorms(string outDir, int count)
    {
        for (var k = 1; k <= count; k++)
        {
            var (text, _) = StormGenerator.Generate(new StormGenerator.Options(2, 3, 6, 0.5, 0.5, (ulong)k));
            var name = string.Create(CultureInfo.InvariantCulture, $"storm_{k}");
            var path = Path.Combine(outDir, "scenarios", name + ".yaml");
            ArtifactFile.WriteText(path, text.Replace("scenario: storm\n", $"scenario: {name}\n", StringComparison.Ordinal));
            yield return (ScenarioLoader.LoadFile(path), path);
        }
    }

    private static string WriteScalingScenario(string outDir, int vcpus)
    {
        var path = Path.Combine(outDir, "scenarios", ScalingScenario.Name(vcpus) + ".yaml");
        ArtifactFile.WriteText(path, ScalingScenario.Yaml(vcpus));
        return path;
    }

    private static void PrintSummary(CompareResult result)
    {
        var o = result.Options;
        Console.Out.WriteLine($"{o.Scenarios.Count} scenarios × {o.Designs.Count} designs, {o.RunsPerCell} runs per cell (sample and exploration), seed {o.Seed}: {result.WallSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        Console.Out.WriteLine($"{"design",-28} {"suite",-20} {"explored failures",-18} {"latency min/median/max",-28} longest BKL hold min/median/max");
        foreach (var design in o.Designs)
        {
            var cells = result.Of(design).ToList();
            var suite = $"{cells.Count(c => c.Verdict.Passed)} passed, {cells.Count(c => !c.Verdict.Passed)} failed";
            var found = $"{cells.Sum(c => c.Findings.Count)}";
            Console.Out.WriteLine($"{design.Label,-28} {suite,-20} {found,-18} {Stats(result.PooledLatency(design)),-28} {Stats(result.PooledBklHold(design))}");
        }

        foreach (var point in result.Scaling)
        {
            var figures = point.Latency.Count == 0 ? point.Verdict.Kind : $"latency median {point.Latency.Median:N0}, longest BKL hold {point.BklHold.Max:N0}";
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scaling {point.Vcpus,4} vCPUs on {point.Design.Label}: {figures}"));
        }
    }

    private static string Stats(CycleStats s) => s.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{s.Min:N0} / {s.Median:N0} / {s.Max:N0}");
}
