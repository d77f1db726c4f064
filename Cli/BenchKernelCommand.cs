using System.CommandLine;
using System.Globalization;
using H2Sim.HwThreadActors.Bench;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim bench kernel`: the kernel model's own speed on a generated teardown storm (by default the
/// 16-cluster storm of docs/results/kernel-speed.md), in this process: median events/s of the timed
/// runs, windows, events per window, bytes allocated per event in the steady state, the trace hash.
/// </summary>
public static class BenchKernelCommand
{
    private const int RunsMax = 1_000;

    public static Command Create()
    {
        var clusters = new Option<int>("--clusters") { Description = "Hexagon clusters of the storm", DefaultValueFactory = _ => 16 };
        var vms = new Option<int>("--vms-per-cluster") { Description = "VMs per cluster: one supervisor plus children", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "Threads (contexts) per child VM", DefaultValueFactory = _ => 256 };
        var runs = new Option<int>("--runs") { Description = "Timed runs after the warm-up (the median is reported)", DefaultValueFactory = _ => 5 };
        var kernel = ScenarioOptions.Kernel();
        var workload = new Option<KernelWorkload>("--workload")
        {
            Description = "storm: a generated teardown storm; churn: threads looping through lock, sem, cond and yield until the horizon (a steady state)",
            DefaultValueFactory = _ => KernelWorkload.Storm,
        };
        var command = new Command("kernel", "Measure the kernel model's events/s and allocation on a generated storm (in this process)");
        foreach (var option in new Option[] { clusters, vms, threads, runs, kernel, workload })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            if (parse.GetValue(runs) is < 1 or > RunsMax)
            {
                throw new UsageException($"--runs must be 1..{RunsMax}");
            }

            var seed = parse.GetResult(GlobalOptions.Seed) is { Implicit: false } ? parse.GetValue(GlobalOptions.Seed) : 3;
            var storm = new StormGenerator.Options(parse.GetValue(clusters), parse.GetValue(vms), parse.GetValue(threads), 0.5, 0.5, seed);
            var options = new KernelBenchmarkOptions(storm, parse.GetValue(kernel), parse.GetValue(runs), parse.GetValue(GlobalOptions.Partitions), parse.GetValue(workload));
            var json = parse.GetValue(GlobalOptions.Json);
            var result = KernelBenchmarkResult.Measure(options, json ? null : step => Console.Error.WriteLine($"bench kernel: {step}"));
            Print(result, json);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(KernelBenchmarkResult result, bool json)
    {
        var median = result.Median;
        var storm = result.Options.Storm;
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteString("model", "kernel");
                w.WriteString("kernel", result.Options.Kernel.Name());
                w.WriteString("workload", result.Options.Workload.ToString().ToLowerInvariant());
                w.WriteString("size", $"--clusters {storm.Clusters} --vms-per-cluster {storm.VmsPerCluster} --threads {storm.Threads} --seed {storm.Seed}");
                w.WriteNumber("contexts", result.Contexts);
                w.WriteNumber("partitions", result.Options.Partitions);
                w.WriteString("traceHash", median.TraceHash);
                w.WriteNumber("events", median.Events);
                w.WriteNumber("windows", median.Windows);
                w.WriteNumber("eventsPerWindow", Math.Round((double)median.Events / Math.Max(1, median.Windows), 1));
                w.WriteNumber("wallSeconds", Math.Round(median.WallSeconds, 4));
                w.WriteNumber("eventsPerSecond", Math.Round(median.EventsPerSecond));
                w.WriteStartArray("runWallSeconds");
                foreach (var run in result.Runs)
                {
                    w.WriteNumberValue(Math.Round(run.WallSeconds, 4));
                }

                w.WriteEndArray();
                var allocation = result.Allocation;
                w.WriteNumber("bytesPerEvent", Math.Round(allocation.BytesPerEvent, 2));
                w.WriteNumber("steadyBytesPerEvent", Math.Round(allocation.SteadyBytesPerEvent, 2));
                w.WriteNumber("steadyEvents", allocation.SteadyEvents);
                w.WriteNumber("steadyWindows", allocation.SteadyWindows);
            }));
            return;
        }

        var table = new Table().AddColumn("kernel model (generated storm)").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow(result.Options.Workload.ToString().ToLowerInvariant(), $"{storm.Clusters} clusters × {storm.VmsPerCluster} VMs × {storm.Threads} threads, seed {storm.Seed}");
        table.AddRow("kernel", result.Options.Kernel.Name());
        table.AddRow("contexts", BenchCommand.Count((ulong)result.Contexts));
        table.AddRow("partitions (in this thread)", result.Options.Partitions.ToString(CultureInfo.InvariantCulture));
        table.AddRow("trace hash", median.TraceHash);
        table.AddRow("events", BenchCommand.Count(median.Events));
        table.AddRow("windows", BenchCommand.Count(median.Windows));
        table.AddRow("events per window", ((double)median.Events / Math.Max(1, median.Windows)).ToString("0.0", CultureInfo.InvariantCulture));
        table.AddRow($"wall seconds (median of {result.Runs.Count})", median.WallSeconds.ToString("0.000", CultureInfo.InvariantCulture));
        table.AddRow("events/s (median)", BenchCommand.Count((ulong)median.EventsPerSecond));
        var allocation = result.Allocation;
        table.AddRow("bytes allocated per event (whole run)", allocation.BytesPerEvent.ToString("0.00", CultureInfo.InvariantCulture));
        table.AddRow(
            $"bytes per event, steady windows ({allocation.SteadyWindows:N0} of {allocation.Windows:N0})",
            allocation.SteadyBytesPerEvent.ToString("0.00", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}
