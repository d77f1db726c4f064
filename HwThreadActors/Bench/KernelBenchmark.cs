using System.Diagnostics;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.HwThreadActors.Bench;

/// <summary>The storm a kernel benchmark runs, and how.</summary>
public sealed record KernelBenchmarkOptions(StormGenerator.Options Storm, string Kernel = "master", int Runs = 5, int Partitions = 1);

/// <summary>One timed run: wall seconds of the simulation (building the system included, loading the file not).</summary>
public sealed record KernelBenchmarkRun(double WallSeconds, ulong Events, ulong Windows, string TraceHash)
{
    public double EventsPerSecond => Events / WallSeconds;
}

/// <summary>
/// What `h2sim bench kernel` measures: a generated teardown storm run in this process (partitions
/// one after another on this thread, so the figure is the model's own cost, without the engine's
/// barriers): a warm-up run, then <see cref="KernelBenchmarkOptions.Runs"/> timed runs, and the bytes
/// allocated per event in the steady state (the windows between 25 % and 75 % of the run's events,
/// after every VM is configured and the guest pools are warm).
/// </summary>
public sealed record KernelBenchmarkResult(
    KernelBenchmarkOptions Options, long Contexts, IReadOnlyList<KernelBenchmarkRun> Runs, double SteadyBytesPerEvent, ulong SteadyEvents)
{
    public KernelBenchmarkRun Median => Runs.OrderBy(r => r.WallSeconds).ElementAt(Runs.Count / 2);

    public static KernelBenchmarkResult Measure(KernelBenchmarkOptions options, Action<string>? progress = null)
    {
        var (text, contexts) = StormGenerator.Generate(options.Storm);
        var scenario = ScenarioLoader.Load(text, "storm.yaml");
        var runOptions = new ScenarioRunOptions(options.Kernel, Partitions: options.Partitions);
        progress?.Invoke("warm-up run");
        var warm = ScenarioRunner.Run(scenario, runOptions).Result;
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
        var (bytesPerEvent, steadyEvents) = SteadyAllocation(scenario, runOptions, warm.Events);
        return new KernelBenchmarkResult(options, contexts, runs, bytesPerEvent, steadyEvents);
    }

    /// <summary>Bytes this thread allocated per event over the windows from 25 % to 75 % of <paramref name="totalEvents"/>.</summary>
    private static (double BytesPerEvent, ulong Events) SteadyAllocation(Scenario scenario, ScenarioRunOptions options, ulong totalEvents)
    {
        ulong fromEvents = 0, toEvents = 0;
        long fromBytes = 0, toBytes = 0;
        var spec = ScenarioRunner.Spec(scenario, options);
        var factory = new ScenarioModelFactory(scenario.Build(options.Params, options.Costs), null);
        InProcessRunner.Run(spec, factory, options.Partitions, afterWindow: progress =>
        {
            if (fromEvents == 0 && progress.Events >= totalEvents / 4)
            {
                (fromEvents, fromBytes) = (progress.Events, GC.GetAllocatedBytesForCurrentThread());
            }
            else if (toEvents == 0 && progress.Events >= totalEvents * 3 / 4)
            {
                (toEvents, toBytes) = (progress.Events, GC.GetAllocatedBytesForCurrentThread());
            }
        });
        var events = toEvents - fromEvents;
        return (events == 0 ? 0 : (double)(toBytes - fromBytes) / events, events);
    }
}
