using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Akka.Configuration;
using H2Sim.Bench.Naive;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim bench phold`: PHOLD on the windowed Akka engine, the machine's events/s.
/// `h2sim bench naive`: the same PHOLD with one Akka message per event (bench/Naive), the baseline
/// the batched core is measured against. Both first run a short warm-up in the same process so
/// the figure is the steady state, not the JIT compiling the hot path (README.md).
/// </summary>
public static class BenchCommand
{
    /// <summary>
    /// The untimed warm-up runs the same spec with min(--warmup-events, --events) events. Runs much
    /// shorter than this left the multi-partition paths (batches, codec, protobuf) short of their
    /// tier-1 code, and the first timed run of a process read up to a third slow.
    /// </summary>
    public const ulong WarmupEventsDefault = 5_000_000;

    /// <summary>Bounds the arrays a run allocates per LP (style.md: a limit on everything).</summary>
    public const uint LpsMax = 1 << 24;

    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks of the simulation core");
        bench.Subcommands.Add(CreatePhold());
        bench.Subcommands.Add(CreateNaive());
        bench.Subcommands.Add(BenchCompareCommand.Create());
        bench.Subcommands.Add(BenchKernelCommand.Create());
        return bench;
    }

    private static Command CreatePhold()
    {
        var options = new PholdOptions();
        var phold = new Command("phold", "Run the PHOLD benchmark on the batched, windowed core");
        options.AddTo(phold);
        var cluster = ClusterOptions.AddTo(phold);
        phold.SetAction(parse =>
        {
            var config = HoconConfig.Embedded();
            var spec = options.Spec(parse, config);
            spec.HorizonCycles = parse.GetValue(GlobalOptions.Horizon);
            var warmupEvents = Math.Min(parse.GetValue(options.WarmupEvents), spec.Phold.Events);
            // On a cluster the warm-up runs on the same nodes, so every node's hot path is compiled.
            var run = cluster.Run(parse, spec, warmupEvents > 0 ? WithEvents(spec, warmupEvents) : null);
            PrintPhold(run.Result, spec, warmupEvents, run.Nodes, parse.GetValue(GlobalOptions.Json));
            return ExitCodes.Success;
        });
        return phold;
    }

    private static Command CreateNaive()
    {
        var options = new PholdOptions();
        var naive = new Command("naive", "Run the same PHOLD with one Akka message per event between plain actors (the baseline)");
        options.AddTo(naive);
        naive.SetAction(parse =>
        {
            // The naive version has neither partitions nor an event order, so these cannot apply.
            if (parse.GetResult(GlobalOptions.Partitions) is { Implicit: false })
            {
                throw new UsageException("bench naive has no partitions: every LP is its own actor on the dispatcher; drop --partitions");
            }

            if (parse.GetResult(GlobalOptions.Horizon) is { Implicit: false })
            {
                throw new UsageException("bench naive delivers events in no time order, so --horizon does not apply");
            }

            var config = HoconConfig.Embedded();
            var spec = options.Spec(parse, config);
            var warmupEvents = Math.Min(parse.GetValue(options.WarmupEvents), spec.Phold.Events);
            var timeout = AkkaEngine.NaiveTimeout(config);
            var result = AkkaEngine.WithSystem(config, H2SimModels.Catalog, system =>
            {
                if (warmupEvents > 0)
                {
                    NaivePhold.Run(system, WithEvents(spec, warmupEvents), timeout);
                }

                return NaivePhold.Run(system, spec, timeout);
            });
            PrintNaive(result, spec, warmupEvents, parse.GetValue(GlobalOptions.Json));
            return ExitCodes.Success;
        });
        return naive;
    }

    public static ModelSpec WithEvents(ModelSpec spec, ulong events)
    {
        var copy = spec.Clone();
        copy.Phold.Events = events;
        return copy;
    }

    private static void PrintPhold(RunResult result, ModelSpec spec, ulong warmupEvents, int nodes, bool json)
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
                WriteShape(w, spec, warmupEvents);
                w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 4));
                w.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
                w.WriteString("end", result.Reason.ToString().ToLowerInvariant());
            }));
            return;
        }

        var table = new Table().AddColumn("PHOLD (batched core)").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("trace hash", result.TraceHashText);
        table.AddRow("events", Count(result.Events));
        table.AddRow("virtual cycles", Count(result.VirtualCycles));
        table.AddRow("windows", Count(result.Windows));
        table.AddRow("partitions", Count((ulong)result.Partitions));
        table.AddRow("nodes", Count((ulong)nodes));
        table.AddRow("seed", spec.Seed.ToString(CultureInfo.InvariantCulture));
        table.AddRow("wall seconds", result.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        table.AddRow("events/s", Count((ulong)result.EventsPerSecond));
        table.AddRow("end", result.Reason.ToString().ToLowerInvariant());
        AnsiConsole.Write(table);
    }

    private static void PrintNaive(NaiveResult result, ModelSpec spec, ulong warmupEvents, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteString("model", "naive-phold");
                w.WriteNumber("events", result.Events);
                w.WriteNumber("virtualCycles", result.VirtualCycles);
                WriteShape(w, spec, warmupEvents);
                w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 4));
                w.WriteNumber("eventsPerSecond", Math.Round(result.EventsPerSecond));
                w.WriteBoolean("deterministic", false);
            }));
            return;
        }

        var table = new Table().AddColumn("PHOLD (naive: one Akka message per event)").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("events", Count(result.Events));
        table.AddRow("virtual cycles", Count(result.VirtualCycles));
        table.AddRow("seed", spec.Seed.ToString(CultureInfo.InvariantCulture));
        table.AddRow("wall seconds", result.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        table.AddRow("events/s", Count((ulong)result.EventsPerSecond));
        AnsiConsole.Write(table);
    }

    /// <summary>What every bench verb's JSON says about the PHOLD it ran: seed, LPs, remote fraction, warm-up.</summary>
    public static void WriteShape(Utf8JsonWriter w, ModelSpec spec, ulong warmupEvents)
    {
        w.WriteNumber("seed", spec.Seed);
        w.WriteNumber("lps", spec.Phold.Lps);
        w.WriteNumber("remoteFraction", spec.Phold.RemoteFraction);
        w.WriteNumber("warmupEvents", warmupEvents);
    }

    public static string Count(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
