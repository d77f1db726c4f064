using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using H2Sim.Cluster.Artifacts;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Faults;
using H2Sim.Cluster.Replay;
using H2Sim.Cluster.Runs;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim run &lt;scenario&gt; --kernel K [--bug B] [--param k=v] [--seed S] [--json]`: one scenario on
/// the Akka engine (partitions as actors in an embedded ActorSystem, or with --nodes/--cluster on
/// several nodes (docs/cluster.md); every partition rebuilds the system from the scenario text in
/// the spec). Prints per VM the outcome, the status and, for a
/// hang, the stranded contexts. Exit 0 when the verdict is PASS, 1 otherwise, 2 on bad input.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var o = new RunCommandOptions();
        var run = new Command("run", "Run one scenario on the H2 kernel model");
        run.Arguments.Add(o.File);
        foreach (var option in o.All)
        {
            run.Options.Add(option);
        }

        var cluster = ClusterOptions.AddTo(run);
        run.SetAction(int (parse) => Execute(parse, o, cluster));
        return run;
    }

    private static int Execute(ParseResult parse, RunCommandOptions o, ClusterOptions cluster)
    {
        var scenario = ScenarioOptions.Load(parse.GetValue(o.File)!);
        var options = o.RunOptions(parse);
        var recordPath = RunArtifacts.CheckLogPath(parse.GetValue(o.Record), "--record");
        var timelineFiles = parse.GetValue(o.Timeline) is { } timelineOut ? TimelineFiles.For(timelineOut, "--timeline") : null;

        // Where an observed run goes (in process; refused on a cluster) is the library's rule.
        var outputs = new ScenarioOutputs(recordPath, timelineFiles) { ListFaults = true };
        var done = cluster.Run(parse, (simulation, placement, control) => simulation.RunScenario(scenario, options, placement, outputs, control));
        var injected = done.InjectedFaults;
        var outcome = new RunOutcome(scenario, options, done.Spec, done.Run.Result, done.Verdict, done.Engine, done.Run.Nodes);
        if (parse.GetValue(GlobalOptions.Json))
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                WriteJson(w, outcome);
                if (injected is not null)
                {
                    InjectedFaultsOutput.WriteJson(w, injected);
                }

                done.Artifacts.WriteJson(w);
            }));
        }
        else
        {
            Print(outcome, injected, done.Artifacts);
        }

        return done.Verdict.Passed ? ExitCodes.Success : ExitCodes.SimulationFailure;
    }

    /// <summary>What a run printed about: the scenario and options it ran with, its result and verdict, and where it ran.</summary>
    private sealed record RunOutcome(Scenario Scenario, ScenarioRunOptions Options, ModelSpec Spec, RunResult Result, Verdict Verdict, string Engine, int Nodes);

    private static void WriteJson(Utf8JsonWriter w, RunOutcome outcome)
    {
        var (scenario, options, spec, result, verdict, engine, nodes) = outcome;
        w.WriteString("scenario", scenario.Name);
        w.WriteString("file", scenario.File);
        w.WriteString("kernel", options.Kernel.Name());
        w.WriteStartArray("bugs");
        foreach (var bug in KernelBugs.NamesOf(options.Bugs))
        {
            w.WriteStringValue(bug);
        }

        w.WriteEndArray();
        w.WriteNumber("seed", options.Seed);
        w.WriteStartObject("params");
        foreach (var (name, value) in scenario.ParameterValues(options.Params))
        {
            w.WriteNumber(name, value);
        }

        w.WriteEndObject();
        w.WritePropertyName("outcome");
        ReportJson.WriteOutcome(w, result.Report);
        w.WriteStartObject("verdict");
        w.WriteString("kind", verdict.Kind);
        w.WriteString("detail", verdict.Detail);
        w.WriteEndObject();
        w.WriteStartArray("printed");
        foreach (var line in result.Report.Printed)
        {
            w.WriteStringValue(line);
        }

        w.WriteEndArray();
        w.WriteString("traceHash", result.TraceHashText);
        w.WriteNumber("events", result.Events);
        w.WriteNumber("virtualCycles", result.VirtualCycles);
        w.WriteNumber("horizonCycles", spec.HorizonCycles);
        w.WriteNumber("partitions", result.Partitions);
        w.WriteNumber("windows", result.Windows);
        w.WriteNumber("eventsPerWindow", Math.Round((double)result.Events / Math.Max(1UL, result.Windows), 1));
        w.WriteNumber("barrierWaitSeconds", Math.Round(result.BarrierWaitSeconds, 4));
        w.WriteString("engine", engine);
        w.WriteNumber("nodes", nodes);
        w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 4));
        w.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
    }

    private static void Print(RunOutcome outcome, IReadOnlyList<InjectedFault>? injected, ArtifactList artifacts)
    {
        var (scenario, options, spec, result, verdict, engine, nodes) = outcome;
        var report = result.Report;
        var bugs = options.Bugs != KernelBug.None ? $" --bug {string.Join(" --bug ", KernelBugs.NamesOf(options.Bugs))}" : string.Empty;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(scenario.Name)}[/] on [bold]{options.Kernel.Name()}[/]{Markup.Escape(bugs)}, seed {options.Seed}: {ReportText.Colour(verdict.Kind)}");
        AnsiConsole.MarkupLine($"  outcome [bold]{Markup.Escape(report.OutcomeKind)}[/]: {Markup.Escape(report.Detail)}");
        AnsiConsole.MarkupLine($"  verdict: {Markup.Escape(verdict.Detail)}");
        foreach (var vm in report.Vms)
        {
            AnsiConsole.MarkupLine($"  VM [bold]{Markup.Escape(vm.Name)}[/]{(vm.Vm != 0 ? $" (vmidx {vm.Vm})" : string.Empty)}: {Markup.Escape(vm.Kind)}{(vm.Kind == "exit" ? $", status 0x{vm.Status.ToString("x", CultureInfo.InvariantCulture)}" : string.Empty)}");
            if (vm.Stranded.Count > 0)
            {
                var table = new Table().AddColumns("vm", "cpuidx", "status", "waits on", "who could wake it");
                foreach (var s in vm.Stranded)
                {
                    table.AddRow(s.Vm.ToString(CultureInfo.InvariantCulture), s.Cpuidx.ToString(CultureInfo.InvariantCulture), s.Status, Markup.Escape(s.WaitsOn), Markup.Escape(s.WhoCouldWake));
                }

                AnsiConsole.Write(table);
            }
        }

        if (report.OutcomeKind != "exit")
        {
            EndStateOutput.Print(report);
        }

        AnsiConsole.MarkupLine("  printed:");
        foreach (var line in report.Printed)
        {
            AnsiConsole.MarkupLine($"    {Markup.Escape(line)}");
        }

        AnsiConsole.MarkupLine($"  trace hash {result.TraceHashText}, {result.Events.ToString("N0", CultureInfo.InvariantCulture)} events, {result.VirtualCycles.ToString("N0", CultureInfo.InvariantCulture)} cycles, {result.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s ({(engine == "in-process" ? "in process" : "Akka engine")}, {result.Partitions} partition(s){(nodes > 1 ? $" on {nodes} nodes" : string.Empty)})");
        if (injected is not null)
        {
            InjectedFaultsOutput.Print(injected);
        }
        else if (spec.Faults is { Rules.Count: > 0 })
        {
            Console.Out.WriteLine("  faults: injected on the cluster; run without --nodes/--cluster to list them");
        }

        artifacts.Print("  ");
    }
}
