using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Bench;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;

namespace H2Sim.Benchmarks;

/// <summary>
/// The kernel model under BenchmarkDotNet, with allocations: one window of the 16-cluster storm
/// (`gen storm --clusters 16 --vms-per-cluster 8 --threads 256 --seed 3`, master) taken at half
/// of its events — each iteration builds the storm and runs it there untimed, then times the next
/// windows until 4,096 events are delivered, so Mean and Allocated are per event; windows of the
/// churn workload (threads looping through lock, sem, cond and yield: a steady state), per event;
/// and the whole upstream suite, 38 tests on three kernels (114 runs), per suite.
/// </summary>
[MemoryDiagnoser]
public class KernelModelBenchmarks
{
    private const int StormEvents = 4_096;
    private const int ChurnEvents = 1 << 16;

    private Scenario storm = null!;
    private ModelSpec stormSpec = null!;
    private ulong stormHalfEvents;
    private PartitionRuntime stormRuntime = null!;
    private WindowSchedule stormSchedule = null!;

    private PartitionRuntime churnRuntime = null!;
    private WindowSchedule churnSchedule = null!;

    private IReadOnlyList<Scenario> suite = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (text, _) = StormGenerator.Generate(new StormGenerator.Options(16, 8, 256, 0.5, 0.5, 3));
        storm = ScenarioLoader.Load(text, "storm.yaml");
        stormSpec = ScenarioRunner.Spec(storm, new ScenarioRunOptions(KernelVariant.Master));
        stormHalfEvents = ScenarioRunner.Run(storm, new ScenarioRunOptions(KernelVariant.Master)).Result.Events / 2;

        var churn = ScenarioLoader.Load(ChurnWorkload.Scenario(4, 2, 8), "churn.yaml");
        var churnSpec = ScenarioRunner.Spec(churn, new ScenarioRunOptions(KernelVariant.Master));
        churnSpec.HorizonCycles = 0;
        churnRuntime = Start(churn, churnSpec, out churnSchedule);
        RunUntil(churnRuntime, churnSchedule, 200_000);

        suite = SuiteRunner.LoadDirectory(Path.Combine(RepositoryRoot(), "scenarios", "h2-pthread"));
    }

    /// <summary>The storm, rebuilt and run untimed to half of its events.</summary>
    [IterationSetup(Target = nameof(StormWindow))]
    public void StormToHalfway()
    {
        stormRuntime = Start(storm, stormSpec, out stormSchedule);
        RunUntil(stormRuntime, stormSchedule, stormHalfEvents);
    }

    [Benchmark(OperationsPerInvoke = StormEvents)]
    [InvocationCount(1)]
    public ulong StormWindow() => RunUntil(stormRuntime, stormSchedule, StormEvents);

    [Benchmark(OperationsPerInvoke = ChurnEvents)]
    public ulong ChurnWindows() => RunUntil(churnRuntime, churnSchedule, ChurnEvents);

    [Benchmark]
    [IterationCount(5)]
    public int Suite114Runs()
    {
        var result = SuiteRunner.Run(suite, [KernelVariant.Base, KernelVariant.Pr39, KernelVariant.Master], kernel => new ScenarioRunOptions(kernel));
        return result.Entries.Count;
    }

    private static PartitionRuntime Start(Scenario scenario, ModelSpec spec, out WindowSchedule schedule)
    {
        var factory = new H2SystemFactory(scenario.Build());
        var runtime = new PartitionRuntime(spec, factory, partition: 0, partitionCount: 1);
        runtime.Start();
        schedule = new WindowSchedule(spec.LookaheadCycles, spec.HorizonCycles);
        return runtime;
    }

    /// <summary>Whole windows until <paramref name="events"/> more are delivered (or the run ends).</summary>
    private static ulong RunUntil(PartitionRuntime runtime, WindowSchedule schedule, ulong events)
    {
        ulong delivered = 0;
        while (delivered < events)
        {
            var decision = schedule.Next(runtime.NextEventCycles, stopRequested: false);
            if (decision.IsEnd)
            {
                break;
            }

            delivered += runtime.RunWindow(decision.EndCycles).EventsDelivered;
        }

        return delivered;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "H2Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("the repository root (H2Actors.sln) is not above " + AppContext.BaseDirectory);
    }
}
