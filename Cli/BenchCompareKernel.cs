using System.Globalization;
using System.Text.Json;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// The kernel model's half of `h2sim bench compare`: a generated teardown storm through the Akka
/// engine on 1 and on P partitions, back to back in rounds after a warm-up of each, with the
/// windows, events per window and the time partitions waited at window barriers — what decides
/// whether partitions pay on the kernel model (a window is one interconnect latency of virtual
/// time, about a hundred kernel events on the storm).
/// </summary>
public static class BenchCompareKernel
{
    public const string DefaultSize = "16x8x256";

    /// <summary>`--kernel-storm CLUSTERSxVMSxTHREADS` (or `none`): the storm `gen storm` would write, seed 3, kernel master.</summary>
    public static StormGenerator.Options? ParseSize(string text)
    {
        if (text == "none")
        {
            return null;
        }

        var parts = text.Split('x');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1))
        {
            throw new UsageException($"--kernel-storm expects CLUSTERSxVMSxTHREADS (e.g. {DefaultSize}) or none, got '{text}'");
        }

        var size = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var storm = new StormGenerator.Options(size[0], size[1], size[2], 0.5, 0.5, 3);
        try
        {
            StormGenerator.Validate(storm);
        }
        catch (InputException e)
        {
            throw new UsageException($"--kernel-storm {text}: {e.Message}");
        }

        return storm;
    }

    public static ModelSpec Spec(StormGenerator.Options storm)
    {
        var (text, _) = StormGenerator.Generate(storm);
        var scenario = ScenarioLoader.Load(text, "storm.yaml");
        return ScenarioRunner.Spec(scenario, new ScenarioRunOptions(KernelVariant.Master));
    }

    public static IReadOnlyList<(RunResult One, RunResult Many)> Measure(Akka.Actor.ActorSystem system, ModelSpec spec, int partitions, int rounds)
    {
        AkkaEngine.RunIn(system, spec, 1);
        AkkaEngine.RunIn(system, spec, partitions);
        var measured = new List<(RunResult, RunResult)>(rounds);
        for (var round = 0; round < rounds; round++)
        {
            measured.Add((AkkaEngine.RunIn(system, spec, 1), AkkaEngine.RunIn(system, spec, partitions)));
            if (!Console.IsErrorRedirected)
            {
                Console.Error.Write($"\rkernel round {round + 1}/{rounds}");
            }
        }

        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write("\r" + new string(' ', 24) + "\r");
        }

        return measured;
    }

    public static bool SameHash(IReadOnlyList<(RunResult One, RunResult Many)> rounds) =>
        rounds.SelectMany(r => new[] { r.One.TraceHash, r.Many.TraceHash }).Distinct().Count() == 1;

    public static void WriteJson(Utf8JsonWriter w, StormGenerator.Options storm, IReadOnlyList<(RunResult One, RunResult Many)> rounds)
    {
        var first = rounds[0];
        w.WriteStartObject("kernelModel");
        w.WriteString("storm", $"gen storm --clusters {storm.Clusters} --vms-per-cluster {storm.VmsPerCluster} --threads {storm.Threads} --seed {storm.Seed}, kernel master");
        w.WriteString("traceHash", first.One.TraceHashText);
        w.WriteBoolean("sameTraceHash", SameHash(rounds));
        w.WriteNumber("events", first.One.Events);
        w.WriteNumber("windows", first.One.Windows);
        w.WriteNumber("eventsPerWindow", Math.Round((double)first.One.Events / Math.Max(1UL, first.One.Windows), 1));
        w.WriteNumber("onePartitionEventsPerSecond", Math.Round(BenchCompareCommand.Median(rounds.Select(r => r.One.EventsPerSecond))));
        w.WriteNumber("partitionsEventsPerSecond", Math.Round(BenchCompareCommand.Median(rounds.Select(r => r.Many.EventsPerSecond))));
        w.WriteNumber("partitionsOverOneWithinRounds", Math.Round(BenchCompareCommand.Median(rounds.Select(r => r.Many.EventsPerSecond / r.One.EventsPerSecond)), 3));
        w.WriteNumber("onePartitionBarrierWaitSeconds", Math.Round(BenchCompareCommand.Median(rounds.Select(r => r.One.BarrierWaitSeconds)), 4));
        w.WriteNumber("partitionsBarrierWaitSeconds", Math.Round(BenchCompareCommand.Median(rounds.Select(r => r.Many.BarrierWaitSeconds)), 4));
        w.WriteNumber("partitionsBarrierWaitShare", Math.Round(BenchCompareCommand.Median(rounds.Select(r => r.Many.BarrierWaitSeconds / r.Many.WallSeconds)), 3));
        w.WriteEndObject();
    }

    public static void Print(StormGenerator.Options storm, int partitions, IReadOnlyList<(RunResult One, RunResult Many)> rounds)
    {
        var table = new Table()
            .AddColumn("kernel round")
            .AddColumn(new TableColumn("1p events/s").RightAligned())
            .AddColumn(new TableColumn($"{partitions}p events/s").RightAligned())
            .AddColumn(new TableColumn($"{partitions}p / 1p").RightAligned())
            .AddColumn(new TableColumn($"{partitions}p barrier wait").RightAligned());
        for (var i = 0; i < rounds.Count; i++)
        {
            var (one, many) = rounds[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), BenchCompareCommand.Rate(one.EventsPerSecond), BenchCompareCommand.Rate(many.EventsPerSecond), BenchCompareCommand.Times(many.EventsPerSecond / one.EventsPerSecond), Share(many));
        }

        table.AddRow("median", BenchCompareCommand.Rate(BenchCompareCommand.Median(rounds.Select(r => r.One.EventsPerSecond))), BenchCompareCommand.Rate(BenchCompareCommand.Median(rounds.Select(r => r.Many.EventsPerSecond))), BenchCompareCommand.Times(BenchCompareCommand.Median(rounds.Select(r => r.Many.EventsPerSecond / r.One.EventsPerSecond))), string.Empty);
        AnsiConsole.Write(table);
        var first = rounds[0].One;
        AnsiConsole.WriteLine($"kernel model: gen storm --clusters {storm.Clusters} --vms-per-cluster {storm.VmsPerCluster} --threads {storm.Threads} --seed {storm.Seed} on master, {first.Events:N0} events in {first.Windows:N0} windows ({(double)first.Events / Math.Max(1UL, first.Windows):0.0} events per window).");
        AnsiConsole.WriteLine(SameHash(rounds)
            ? $"trace hash {first.TraceHashText} on every kernel-model run"
            : "kernel-model trace hash differs between runs: a determinism bug");
    }

    private static string Share(RunResult run) =>
        $"{run.BarrierWaitSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s ({(run.BarrierWaitSeconds / run.WallSeconds).ToString("P0", CultureInfo.InvariantCulture)})";
}
