using System.CommandLine;
using System.Globalization;
using H2Sim.Bench.Naive;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Protocol.Model;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim bench compare`: PHOLD on 1 partition, on P partitions and the naive Akka version, in
/// rounds, in one process, one after the other. Reports the median of each figure and the ratios
/// of those medians, and — because on a shared machine the speed of the same run drifts by tens
/// of percent from one second to the next, and runs close together in time drift together — the
/// median of the ratios measured within each round as well (style: compare as ratios measured in
/// one run).
/// </summary>
public static class BenchCompareCommand
{
    public const uint RoundsDefault = 5;
    public const ulong EventsDefault = 5_000_000;

    public static Command Create()
    {
        var options = new PholdOptions(EventsDefault);
        var rounds = CliParsers.WholeNumber32("--rounds", "Rounds of the three runs; medians and ratios are over these", RoundsDefault, min: 1, max: 1000);
        var compare = new Command("compare", "PHOLD on 1 and on --partitions (default 2) partitions and the naive Akka version, interleaved in rounds, with medians and ratios");
        options.AddTo(compare);
        compare.Options.Add(rounds);
        var kernelStorm = new Option<string>("--kernel-storm")
        {
            Description = "The kernel model's storm, CLUSTERSxVMSxTHREADS (gen storm, seed 3, master), run on 1 and --partitions partitions after PHOLD; none to skip it",
            DefaultValueFactory = _ => BenchCompareKernel.DefaultSize,
        };
        compare.Options.Add(kernelStorm);
        compare.SetAction(parse =>
        {
            var partitions = parse.GetResult(GlobalOptions.Partitions) is { Implicit: false } ? parse.GetValue(GlobalOptions.Partitions) : 2;
            if (partitions < 2)
            {
                throw new UsageException("bench compare measures 1 partition against --partitions; give at least 2");
            }

            if (parse.GetResult(GlobalOptions.Horizon) is { Implicit: false })
            {
                throw new UsageException("bench compare runs PHOLD to the end (the naive version has no time order), so --horizon does not apply");
            }

            var config = HoconConfig.Embedded();
            var spec = options.Spec(parse, config);
            var warmupEvents = Math.Min(parse.GetValue(options.WarmupEvents), spec.Phold.Events);
            var storm = BenchCompareKernel.ParseSize(parse.GetValue(kernelStorm)!);
            var roundCount = (int)parse.GetValue(rounds);
            var (comparison, kernel) = AkkaEngine.WithSystem(config, H2SimModels.Catalog, system => (
                Measure(system, spec, partitions, roundCount, warmupEvents, AkkaEngine.NaiveTimeout(config)),
                storm is null ? null : BenchCompareKernel.Measure(system, BenchCompareKernel.Spec(storm), partitions, roundCount)));
            Print(comparison, spec, warmupEvents, parse.GetValue(GlobalOptions.Json), storm, kernel);
            var sameHashes = comparison.SameHash && (kernel is null || BenchCompareKernel.SameHash(kernel));
            return sameHashes ? ExitCodes.Success : ExitCodes.SimulationFailure;
        });
        return compare;
    }

    private static Comparison Measure(Akka.Actor.ActorSystem system, ModelSpec spec, int partitions, int rounds, ulong warmupEvents, TimeSpan naiveTimeout)
    {
        if (warmupEvents > 0)
        {
            var warmup = BenchCommand.WithEvents(spec, warmupEvents);
            AkkaEngine.RunIn(system, warmup, 1);
            AkkaEngine.RunIn(system, warmup, partitions);
            NaivePhold.Run(system, warmup, naiveTimeout);
        }

        var measured = new List<Round>(rounds);
        var hashes = new HashSet<ulong>();
        for (var round = 0; round < rounds; round++)
        {
            var one = AkkaEngine.RunIn(system, spec, 1);
            var many = AkkaEngine.RunIn(system, spec, partitions);
            var naive = NaivePhold.Run(system, spec, naiveTimeout);
            hashes.Add(one.TraceHash);
            hashes.Add(many.TraceHash);
            measured.Add(new Round(one, many, naive.EventsPerSecond));
            if (!Console.IsErrorRedirected)
            {
                Console.Error.Write($"\rround {round + 1}/{rounds}");
            }
        }

        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write("\r" + new string(' ', 20) + "\r");
        }

        return new Comparison(partitions, measured, hashes.Count == 1);
    }

    private static void Print(Comparison c, ModelSpec spec, ulong warmupEvents, bool json, StormGenerator.Options? storm, IReadOnlyList<(RunResult One, RunResult Many)>? kernel)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteString("model", "phold");
                w.WriteString("traceHash", c.Rounds[0].One.TraceHashText);
                w.WriteBoolean("sameTraceHash", c.SameHash);
                w.WriteNumber("events", c.Rounds[0].One.Events);
                w.WriteNumber("partitions", c.Partitions);
                BenchCommand.WriteShape(w, spec, warmupEvents);
                w.WriteNumber("rounds", c.Rounds.Count);
                w.WriteNumber("onePartitionEventsPerSecond", Math.Round(c.MedianOne));
                w.WriteNumber("partitionsEventsPerSecond", Math.Round(c.MedianMany));
                w.WriteNumber("naiveEventsPerSecond", Math.Round(c.MedianNaive));
                w.WriteNumber("partitionsOverOne", Math.Round(c.MedianMany / c.MedianOne, 3));
                w.WriteNumber("oneOverNaive", Math.Round(c.MedianOne / c.MedianNaive, 3));
                w.WriteNumber("partitionsOverNaive", Math.Round(c.MedianMany / c.MedianNaive, 3));
                w.WriteNumber("partitionsOverOneWithinRounds", Math.Round(c.RatioManyOverOne, 3));
                w.WriteNumber("oneOverNaiveWithinRounds", Math.Round(c.RatioOneOverNaive, 3));
                w.WriteNumber("partitionsOverNaiveWithinRounds", Math.Round(c.RatioManyOverNaive, 3));
                w.WriteStartArray("perRound");
                foreach (var round in c.Rounds)
                {
                    w.WriteStartObject();
                    w.WriteNumber("onePartition", Math.Round(round.One.EventsPerSecond));
                    w.WriteNumber("partitions", Math.Round(round.Many.EventsPerSecond));
                    w.WriteNumber("naive", Math.Round(round.Naive));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                if (storm is not null && kernel is not null)
                {
                    BenchCompareKernel.WriteJson(w, storm, kernel);
                }
            }));
            return;
        }

        var rounds = new Table()
            .AddColumn("round")
            .AddColumn(new TableColumn("1p events/s").RightAligned())
            .AddColumn(new TableColumn($"{c.Partitions}p events/s").RightAligned())
            .AddColumn(new TableColumn("naive events/s").RightAligned())
            .AddColumn(new TableColumn($"{c.Partitions}p / 1p").RightAligned())
            .AddColumn(new TableColumn("1p / naive").RightAligned());
        for (var i = 0; i < c.Rounds.Count; i++)
        {
            var r = c.Rounds[i];
            rounds.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Rate(r.One.EventsPerSecond), Rate(r.Many.EventsPerSecond), Rate(r.Naive), Times(r.ManyOverOne), Times(r.OneOverNaive));
        }

        rounds.AddRow("median", Rate(c.MedianOne), Rate(c.MedianMany), Rate(c.MedianNaive), Times(c.MedianMany / c.MedianOne), Times(c.MedianOne / c.MedianNaive));
        rounds.AddRow("in-round", string.Empty, string.Empty, string.Empty, Times(c.RatioManyOverOne), Times(c.RatioOneOverNaive));
        AnsiConsole.Write(rounds);
        AnsiConsole.WriteLine($"{c.Rounds[0].One.Events:N0} events per run, seed {spec.Seed}, {spec.Phold.Lps} LPs, remote {spec.Phold.RemoteFraction}; warm-up {warmupEvents:N0} events of each.");
        AnsiConsole.WriteLine("median: each column's median, and ratios of those medians; in-round: the median of the ratios measured within each round.");
        AnsiConsole.WriteLine($"{c.Partitions} partitions against naive: {Times(c.MedianMany / c.MedianNaive)} (medians), {Times(c.RatioManyOverNaive)} (in-round).");
        AnsiConsole.WriteLine(c.SameHash
            ? $"trace hash {c.Rounds[0].One.TraceHashText} on every PHOLD run"
            : "trace hash differs between runs: a determinism bug");
        if (storm is not null && kernel is not null)
        {
            BenchCompareKernel.Print(storm, c.Partitions, kernel);
        }
    }

    internal static string Rate(double eventsPerSecond) => BenchCommand.Count((ulong)Math.Round(eventsPerSecond));

    internal static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>One round: the three runs, back to back.</summary>
    private sealed record Round(RunResult One, RunResult Many, double Naive)
    {
        public double ManyOverOne => Many.EventsPerSecond / One.EventsPerSecond;

        public double OneOverNaive => One.EventsPerSecond / Naive;

        public double ManyOverNaive => Many.EventsPerSecond / Naive;
    }

    private sealed record Comparison(int Partitions, IReadOnlyList<Round> Rounds, bool SameHash)
    {
        public double MedianOne => Median(Rounds.Select(r => r.One.EventsPerSecond));

        public double MedianMany => Median(Rounds.Select(r => r.Many.EventsPerSecond));

        public double MedianNaive => Median(Rounds.Select(r => r.Naive));

        public double RatioManyOverOne => Median(Rounds.Select(r => r.ManyOverOne));

        public double RatioOneOverNaive => Median(Rounds.Select(r => r.OneOverNaive));

        public double RatioManyOverNaive => Median(Rounds.Select(r => r.ManyOverNaive));
    }
}
