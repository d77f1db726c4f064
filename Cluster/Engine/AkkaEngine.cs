using Akka.Actor;
using Akka.Configuration;
using H2Sim.Cluster.Settings;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Runs a spec on partitions that are Akka actors in one ActorSystem — the embedded default
/// (architecture.md §6: with no cluster configured, every partition runs in one process).
/// </summary>
public static class AkkaEngine
{
    private static long nextRunId;

    /// <summary>Runs in a fresh ActorSystem built from hocon/h2sim.conf plus overrides.</summary>
    public static RunResult Run(ModelSpec spec, int partitionCount, ModelCatalog models, string? configOverrides = null) =>
        WithSystem(models, system => RunIn(system, spec, partitionCount), configOverrides);

    /// <summary>Runs <paramref name="work"/> in a fresh ActorSystem (hocon/h2sim.conf plus overrides), then shuts it down.</summary>
    public static T WithSystem<T>(ModelCatalog models, Func<ActorSystem, T> work, string? configOverrides = null) =>
        WithSystem(HoconConfig.Embedded(configOverrides), models, work);

    /// <summary>
    /// Runs <paramref name="work"/> in a fresh ActorSystem built from <paramref name="config"/> that
    /// knows <paramref name="models"/>, then shuts it down.
    /// </summary>
    public static T WithSystem<T>(Config config, ModelCatalog models, Func<ActorSystem, T> work)
    {
        using var system = ActorSystem.Create("h2sim", config);
        ModelCatalog.Install(system, models);
        try
        {
            return work(system);
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Runs in an existing ActorSystem (tests reuse one; the cluster host passes its own).</summary>
    /// <param name="progress">Updated after each window, for a progress display (optional).</param>
    public static RunResult RunIn(ActorSystem system, ModelSpec spec, int partitionCount, RunProgress? progress = null)
    {
        if (partitionCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, "a run has at least 1 partition");
        }

        var runId = (ulong)Interlocked.Increment(ref nextRunId);
        var settings = EngineSettings.From(system.Settings.Config);
        var dispatcher = settings.PartitionDispatcher;
        var partitions = Enumerable.Range(0, partitionCount)
            .Select(p => system.ActorOf(PartitionActor.Props().WithDispatcher(dispatcher), $"run{runId}-partition{p}"))
            .ToList();
        var completion = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var timeout = settings.WindowTimeout;
        var coordinator = system.ActorOf(
            CoordinatorActor.Props(spec, partitions, completion, timeout, p => $"partition {p} (local)", runId, progress),
            $"run{runId}-coordinator");
        var timedOut = new RunInterrupted(WallDeadline.Description, WallTimeout: true);
        using var deadline = WallDeadline.Token.Register(() => coordinator.Tell(timedOut));
        try
        {
            return completion.Task.GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var partition in partitions)
            {
                system.Stop(partition);
            }
        }
    }

    /// <summary>How long `bench naive` may run (h2sim.bench.naive-timeout), for the bench commands.</summary>
    public static TimeSpan NaiveTimeout(Config config) => BenchSettings.From(config).NaiveTimeout;
}
