using System.Globalization;
using System.Text.Json;
using H2Sim.Cluster.Artifacts;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>What `explore` prints for one scenario: figures, each failure with what it needed and the lines to paste, the coverage report; the page and JSON with --report.</summary>
public static class ExploreOutput
{
    public static void Print(ExploreRequest request, Scenario scenario, ScenarioRunOptions options, ExploreResult result)
    {
        var artifacts = new ArtifactList();
        foreach (var failure in result.Failures.Where(f => f.Log is not null))
        {
            artifacts.Add(failure.Log!, $"{failure.Signature}, minimised");
        }

        if (request.ReportDir is { } dir)
        {
            var title = $"explore {scenario.Name} on {options.Kernel.Name()}";
            var page = Path.Combine(dir, "explore_report.html");
            var json = Path.Combine(dir, "explore_results.json");
            ArtifactFile.WriteText(page, ExploreCoveragePage.Html(title, result));
            ArtifactFile.WriteText(json, JsonOutput.Write(w => WriteJson(w, scenario.Name, options.Kernel.Name(), request, result, null)));
            artifacts.Add(page, "coverage page: failures, coverage against runs, race pairs, kill and interrupt matrices");
            artifacts.Add(json, "the same as JSON");
        }

        if (request.Json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w => WriteJson(w, scenario.Name, options.Kernel.Name(), request, result, artifacts)));
            return;
        }

        var o = Console.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name} on {options.Kernel.Name()}, {result.Strategy}, faults {FaultsText(request.Settings)}, {JitterText(request.Settings)}: {result.Runs} runs in {result.WallSeconds:0.0} s ({result.RunsPerSecond:0} runs/s), {result.Failures.Count} distinct failure(s), {result.FailingRuns} failing run(s), coverage {result.Coverage.Count} items"));
        if (result.RunsToFirstFailure is { } first)
        {
            o.WriteLine($"  first failure at run {first}");
        }

        if (result.Exhaustive is { } x)
        {
            o.WriteLine($"  exhaustive, bound {x.Bound} contested choices: {x.Runs} assignment(s) run, {x.SkippedRepeats} branch point(s) skipped as repeated states{(x.StateHashing ? string.Empty : " (state hashing off)")}; deepest run {x.DeepestRun} choices; {(x.Covered ? "the bounded space is covered" : "NOT covered: the run limit stopped it")}");
        }

        foreach (var failure in result.Failures)
        {
            o.WriteLine($"  {failure.Log ?? "(not saved)"}: {failure.Summary}");
            if (failure.Log is { } log)
            {
                o.WriteLine($"    replay:   {ReproduceCommand.Replay(log, Path.ChangeExtension(log, null))}{(failure.ReplayVerified == true ? "   (checked: reproduces it)" : string.Empty)}");
                o.WriteLine($"    minimize: {ReproduceCommand.Minimize(log, ReproduceCommand.MinimizedName(log))}");
                o.WriteLine($"    log:      {ReproduceCommand.Log(log)}");
            }
        }

        if (request.Coverage)
        {
            ExploreCoverageText.Print(o, result.Coverage);
        }

        artifacts.Print();
    }

    /// <summary>Exhaustive enumerates the discrete choice points only: guest timing runs as written there.</summary>
    public static string JitterText(ExploreSettings settings) =>
        settings.Strategy == ExploreStrategy.Exhaustive || settings.GuestJitterPercent == 0 ? "guest timing as written" : string.Create(CultureInfo.InvariantCulture, $"guest jitter ±{settings.GuestJitterPercent}%");

    public static string FaultsText(ExploreSettings settings) => settings.Faults switch
    {
        FaultMode.None => "none",
        FaultMode.Random => "random plan per run",
        _ => "plan",
    };

    public static void WriteJson(Utf8JsonWriter w, string scenario, string kernel, ExploreRequest request, ExploreResult result, ArtifactList? artifacts)
    {
        w.WriteString("scenario", scenario);
        w.WriteString("kernel", kernel);
        WriteFigures(w, request, result);
        w.WriteStartArray("failures");
        foreach (var failure in result.Failures)
        {
            w.WriteStartObject();
            w.WriteString("signature", failure.Signature);
            w.WriteString("kind", failure.Kind);
            w.WriteNumber("firstRun", failure.FirstRun);
            w.WriteString("needs", failure.Needs);
            w.WriteString("summary", failure.Summary);
            if (failure.Log is { } log)
            {
                w.WriteString("log", log);
                w.WriteBoolean("replayReproduces", failure.ReplayVerified == true);
                w.WriteString("replay", ReproduceCommand.Replay(log, Path.ChangeExtension(log, null)));
                w.WriteString("minimize", ReproduceCommand.Minimize(log, ReproduceCommand.MinimizedName(log)));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        ExploreCoverageJson.Write(w, result.Coverage);
        artifacts?.WriteJson(w);
    }

    public static void WriteFigures(Utf8JsonWriter w, ExploreRequest request, ExploreResult result)
    {
        w.WriteString("strategy", result.Strategy);
        w.WriteString("faults", FaultsText(request.Settings));
        w.WriteNumber("guestJitterPercent", request.Settings.GuestJitterPercent);
        w.WriteNumber("seed", request.Settings.Seed);
        w.WriteNumber("runs", result.Runs);
        w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 3));
        w.WriteNumber("runsPerSecond", Math.Round(result.RunsPerSecond, 1));
        w.WriteNumber("distinctFailures", result.Failures.Count);
        w.WriteNumber("failingRuns", result.FailingRuns);
        if (result.RunsToFirstFailure is { } first)
        {
            w.WriteNumber("runsToFirstFailure", first);
        }
        else
        {
            w.WriteNull("runsToFirstFailure");
        }

        w.WriteNumber("coverageItems", result.Coverage.Count);
        if (result.Exhaustive is { } x)
        {
            w.WriteStartObject("exhaustive");
            w.WriteNumber("bound", x.Bound);
            w.WriteNumber("assignmentsRun", x.Runs);
            w.WriteNumber("skippedRepeatedStates", x.SkippedRepeats);
            w.WriteNumber("deepestRun", x.DeepestRun);
            w.WriteBoolean("stateHashing", x.StateHashing);
            w.WriteBoolean("covered", x.Covered);
            w.WriteEndObject();
        }
    }
}
