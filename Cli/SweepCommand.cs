using System.CommandLine;
using System.Globalization;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim sweep &lt;scenario&gt; --param NAME=FROM..TO[:STEP] --kernel K [--json]`: runs the scenario for
/// every value (in-process, on all cores), and prints value → outcome, the BKL race that decided
/// it (the VM-teardown trap against the nearest peer's blocking trap, from ClusterRuntime's BKL
/// observer) and the flip points where the outcome changes. Other --param NAME=VALUE pairs are
/// fixed for every run. For each stretch of failing values it prints the commands that record,
/// minimise and replay the first of them. Exit 0 when every value passes, 1 when any fails.
/// </summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("scenario") { Description = "Scenario file (docs/scenarios.md)" };
        var kernel = ScenarioOptions.Kernel();
        var bugs = ScenarioOptions.Bugs();
        var parameters = ScenarioOptions.Params("The swept parameter NAME=FROM..TO[:STEP] (exactly one), and fixed NAME=VALUE pairs");
        var sweep = new Command("sweep", "Run a scenario across a parameter range and show where the outcome flips");
        sweep.Arguments.Add(file);
        sweep.Options.Add(kernel);
        sweep.Options.Add(bugs);
        sweep.Options.Add(parameters);
        sweep.SetAction(int (parse) =>
        {
            var scenario = ScenarioOptions.Load(parse.GetValue(file)!);
            var pairs = parse.GetValue(parameters) ?? [];
            var ranges = pairs.Where(p => p.Contains("..", StringComparison.Ordinal)).ToList();
            if (ranges.Count != 1)
            {
                throw new UsageException("sweep: expected exactly one --param NAME=FROM..TO[:STEP]");
            }

            var range = SweepRange.Parse(ranges[0]);
            var options = new ScenarioRunOptions(
                parse.GetValue(kernel),
                parse.GetValue(bugs),
                parse.GetValue(GlobalOptions.Seed),
                ScenarioOptions.Fixed(pairs.Except(ranges)),
                parse.GetValue(GlobalOptions.Horizon),
                1)
            {
                Costs = CostOptions.Of(parse),
                Policies = PolicyOptions.For(parse.GetValue(kernel), PolicyOptions.Of(parse, [parse.GetValue(kernel)])),
            };
            var result = SweepRunner.Run(scenario, range, options);
            var reproduce = new SweepReproduce(parse.GetValue(file)!.ToString(), options, pairs.Except(ranges).ToList(), range.Name);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.Out.WriteLine(Json(result, reproduce));
            }
            else
            {
                Print(result);
                reproduce.Print(result);
            }

            // Like every verb that judges runs: any failing value makes the sweep exit 1.
            return result.Points.All(p => p.Verdict.Passed) ? ExitCodes.Success : ExitCodes.SimulationFailure;
        });
        return sweep;
    }

    private static string Json(SweepResult result, SweepReproduce reproduce) => JsonOutput.Write(w =>
    {
        w.WriteString("scenario", result.Scenario.Name);
        w.WriteString("kernel", result.Kernel.Name());
        w.WriteString("param", result.Range.Name);
        w.WriteNumber("from", result.Range.From);
        w.WriteNumber("to", result.Range.To);
        w.WriteNumber("step", Math.Abs(result.Range.Step));
        w.WriteStartArray("points");
        foreach (var point in result.Points)
        {
            w.WriteStartObject();
            w.WriteNumber("value", point.Value);
            w.WriteString("outcome", point.Outcome);
            w.WriteString("verdict", point.Verdict.Kind);
            w.WriteString("detail", point.Verdict.Detail);
            if (point.Race is { } race)
            {
                w.WriteStartObject("race");
                w.WriteString("winner", race.Winner);
                w.WriteString("winnerEntry", race.WinnerEntry);
                w.WriteString("loser", race.Loser);
                w.WriteString("loserEntry", race.LoserEntry);
                w.WriteNumber("gapCycles", race.GapCycles);
                w.WriteNumber("loserSpunCycles", race.LoserSpunCycles);
                w.WriteString("text", race.ToString());
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("race");
            }

            w.WriteString("traceHash", point.TraceHash);
            if (!point.Verdict.Passed)
            {
                var (record, minimize, replay) = reproduce.Commands(point.Value);
                w.WriteStartObject("reproduce");
                w.WriteString("record", record);
                w.WriteString("minimize", minimize);
                w.WriteString("replay", replay);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("flips");
        foreach (var flip in result.Flips)
        {
            w.WriteStartObject();
            w.WriteNumber("before", flip.Before);
            w.WriteNumber("after", flip.After);
            w.WriteString("from", flip.From);
            w.WriteString("to", flip.To);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 3));
    });

    private static void Print(SweepResult result)
    {
        var redirected = Console.IsOutputRedirected;
        Console.Out.WriteLine($"{result.Scenario.Name} on {result.Kernel.Name()}: {result.Range.Name} = {result.Range.From}..{result.Range.To} step {Math.Abs(result.Range.Step)} ({result.Points.Count} runs, {result.WallSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s)");
        if (redirected)
        {
            var width = Math.Max(8, result.Range.Name.Length);
            Console.Out.WriteLine($"{result.Range.Name.PadLeft(width)}  {"outcome",-20} {"verdict",-9} BKL race that decided it");
            foreach (var point in result.Points)
            {
                Console.Out.WriteLine($"{point.Value.ToString(CultureInfo.InvariantCulture).PadLeft(width)}  {point.Outcome,-20} {point.Verdict.Kind,-9} {point.Race?.ToString() ?? "no VM teardown trap"}");
            }
        }
        else
        {
            var table = new Table().AddColumn(new TableColumn(result.Range.Name).RightAligned()).AddColumns("outcome", "verdict", "BKL race that decided it");
            foreach (var point in result.Points)
            {
                table.AddRow(point.Value.ToString(CultureInfo.InvariantCulture), Markup.Escape(point.Outcome), ReportText.Colour(point.Verdict.Kind), Markup.Escape(point.Race?.ToString() ?? "no VM teardown trap"));
            }

            AnsiConsole.Write(table);
        }

        if (result.Flips.Count == 0)
        {
            Console.Out.WriteLine($"no flip: every value gives {result.Points[0].Outcome}");
        }

        foreach (var flip in result.Flips)
        {
            Console.Out.WriteLine($"flip between {result.Range.Name}={flip.Before} and {flip.After}: {flip.From} -> {flip.To}");
        }
    }
}
