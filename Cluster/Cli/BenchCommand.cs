using System.CommandLine;
using System.Globalization;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using Spectre.Console;

namespace H2Sim.Cluster.Cli;

/// <summary>`h2sim bench phold`: PHOLD on the windowed Akka engine, the machine's events/s.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var lps = new Option<uint>("--lps") { Description = "Logical processes (a multiple of 16)", DefaultValueFactory = _ => 1024 };
        var events = new Option<ulong>("--events") { Description = "Events the LPs forward in total", DefaultValueFactory = _ => 2_000_000 };
        var remote = new Option<double>("--remote") { Description = "Fraction of events sent to another placement group", DefaultValueFactory = _ => 0.25 };
        var phold = new Command("phold", "Run the PHOLD benchmark on the batched, windowed core");
        phold.Options.Add(lps);
        phold.Options.Add(events);
        phold.Options.Add(remote);
        var cluster = ClusterOptions.AddTo(phold);
        phold.SetAction(parse =>
        {
            var spec = PholdFactory.DefaultSpec(parse.GetValue(GlobalOptions.Seed), parse.GetValue(lps), parse.GetValue(events), parse.GetValue(remote));
            spec.HorizonCycles = parse.GetValue(GlobalOptions.Horizon);
            PholdFactory.Validate(spec);
            var run = cluster.Run(parse, spec);
            Print(run.Result, spec.Seed, run.Nodes, parse.GetValue(GlobalOptions.Json));
            return ExitCodes.Success;
        });

        var bench = new Command("bench", "Benchmarks of the simulation core");
        bench.Subcommands.Add(phold);
        return bench;
    }

    private static void Print(RunResult result, ulong seed, int nodes, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteString("model", "phold");
                w.WriteString("traceHash", result.TraceHashText);
                w.WriteNumber("events", result.Events);
                w.WriteNumber("virtualCycles", result.VirtualCycles);
                w.WriteNumber("windows", result.Windows);
                w.WriteNumber("partitions", result.Partitions);
                w.WriteNumber("nodes", nodes);
                w.WriteNumber("seed", seed);
                w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 4));
                w.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
                w.WriteString("end", result.Reason.ToString().ToLowerInvariant());
            }));
            return;
        }

        var table = new Table().AddColumn("PHOLD").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("trace hash", result.TraceHashText);
        table.AddRow("events", result.Events.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("virtual cycles", result.VirtualCycles.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("windows", result.Windows.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("partitions", result.Partitions.ToString(CultureInfo.InvariantCulture));
        table.AddRow("nodes", nodes.ToString(CultureInfo.InvariantCulture));
        table.AddRow("seed", seed.ToString(CultureInfo.InvariantCulture));
        table.AddRow("wall seconds", result.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        table.AddRow("events/s", result.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}
