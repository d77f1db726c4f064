using System.Diagnostics;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.Bench;

/// <summary>What a kernel benchmark runs: a teardown storm (build-up, block, kill), or threads looping through the same paths for ever.</summary>
public enum KernelWorkload
{
    Storm,
    Churn,
}

/// <summary>The workload a kernel benchmark runs (its size from the storm options), and how.</summary>
public sealed record KernelBenchmarkOptions(StormGenerator.Options Storm, KernelVariant Kernel = KernelVariant.Master, int Runs = 5, int Partitions = 1, KernelWorkload Workload = KernelWorkload.Storm)
{
    /// <summary>The scenario text and the contexts it runs.</summary>
    public (string Text, long Contexts) Scenario() => Workload == KernelWorkload.Storm
        ? StormGenerator.Generate(Storm)
        : (ChurnWorkload.Scenario(Storm.Clusters, Storm.VmsPerCluster, Storm.Threads), (long)Storm.Clusters * Storm.VmsPerCluster * (Storm.Threads + 1));
}

/// <summary>One timed run: wall seconds of the simulation (building the system included, loading the file not).</summary>
public sealed record KernelBenchmarkRun(double WallSeconds, ulong Events, ulong Windows, string TraceHash)
{
    public double EventsPerSecond => Events / WallSeconds;
}

/// <summary>
/// What `h2sim bench kernel` measures: a generated teardown storm run in this process (partitions
/// one after another on this thread, so the figure is the model's own cost, without the engine's
/// barriers): a warm-up run, then <see cref="KernelBenchmarkOptions.Runs"/> timed runs, and the bytes
/// allocated per event over the run and in the steady state (the windows in which the model's
/// structure did not grow: no vmblock configured, no guest state created, no guest memory page
/// stored; see <see cref="ClusterRuntime.StructureCount"/>).
/// </summary>
public sealed record KernelBenchmarkResult(
    KernelBenchmarkOptions Options, long Contexts, IReadOnlyList<KernelBenchmarkRun> Runs, KernelAllocation Allocation)
{
    public KernelBenchmarkRun Median => Runs.OrderBy(r => r.WallSeconds).ElementAt(Runs.Count / 2);

    public static KernelBenchmarkResult Measure(KernelBenchmarkOptions options, Action<string>? progress = null)
    {
        var (text, contexts) = options.Scenario();
        var scenario = ScenarioLoader.Load(text, $"{options.Workload.ToString().ToLowerInvariant()}.yaml");
        var runOptions = new ScenarioRunOptions(options.Kernel, Partitions: options.Partitions);
        progress?.Invoke("warm-up run");
        ScenarioRunner.Run(scenario, runOptions);
        var runs = new List<KernelBenchmarkRun>();
        for (var i = 0; i < options.Runs; i++)
        {
            progress?.Invoke($"timed run {i + 1} of {options.Runs}");
            var stopwatch = Stopwatch.StartNew();
            var result = ScenarioRunner.Run(scenario, runOptions).Result;
            stopwatch.Stop();
            runs.Add(new KernelBenchmarkRun(stopwatch.Elapsed.TotalSeconds, result.Events, result.Windows, result.TraceHashText));
        }

        progress?.Invoke("allocation run");
        return new KernelBenchmarkResult(options, contexts, runs, MeasureAllocation(scenario, runOptions));
    }

    /// <summary>
    /// Bytes this thread allocated per event over the whole run, and over the steady windows only:
    /// those in which the model did not grow (no vmblock configured, no guest state created — what
    /// a storm allocates as it builds up, once per context, as the kernel and a thread's stack do).
    /// </summary>
    private static KernelAllocation MeasureAllocation(Scenario scenario, ScenarioRunOptions options)
    {
        var spec = ScenarioRunner.Spec(scenario, options);
        var factory = new H2SystemFactory(scenario.Build(options.Params, options.Costs));
        var tally = new AllocationTally(factory);
        InProcessRunner.Run(spec, factory, options.Partitions, afterWindow: tally.AfterWindow);
        return tally.Result;
    }

    /// <summary>Samples the allocated bytes and the model's structure after each window.</summary>
    private sealed class AllocationTally(H2SystemFactory factory)
    {
        private readonly long startBytes = GC.GetAllocatedBytesForCurrentThread();
        private long lastBytes = GC.GetAllocatedBytesForCurrentThread();
        private ulong lastEvents;
        private long lastStructure = -1;
        private long steadyBytes;
        private ulong steadyEvents;
        private ulong steadyWindows;
        private ulong windows;

        public KernelAllocation Result => new(
            lastEvents == 0 ? 0 : (double)(lastBytes - startBytes) / lastEvents,
            steadyEvents == 0 ? 0 : (double)steadyBytes / steadyEvents,
            steadyEvents,
            steadyWindows,
            windows);

        public void AfterWindow(WindowProgress progress)
        {
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var structure = Structure();
            if (structure == lastStructure)
            {
                steadyBytes += bytes - lastBytes;
                steadyEvents += progress.Events - lastEvents;
                steadyWindows++;
            }

            windows = progress.Windows;
            (lastBytes, lastEvents, lastStructure) = (bytes, progress.Events, structure);
        }

        private long Structure()
        {
            var total = 0L;
            foreach (var model in factory.Built.Values)
            {
                for (var c = 0; c < factory.Definition.Topology.Clusters; c++)
                {
                    total += model.Cluster(c)?.StructureCount ?? 0;
                }
            }

            return total;
        }
    }
}

/// <summary>Allocation of one run: per event overall, and per event on the steady windows (the model not growing).</summary>
public sealed record KernelAllocation(double BytesPerEvent, double SteadyBytesPerEvent, ulong SteadyEvents, ulong SteadyWindows, ulong Windows);
