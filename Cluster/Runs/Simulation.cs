using H2Sim.Cluster.Artifacts;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Faults;
using H2Sim.Cluster.Nodes;
using H2Sim.Cluster.Replay;
using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Runs;

/// <summary>
/// The engine's entry point for a test, a notebook or the h2sim executable: runs a spec or a
/// scenario where a <see cref="RunPlacement"/> says, with the models it was given (the engine
/// knows no model of its own), and rebuilds recorded runs for replay.
/// </summary>
public sealed class Simulation(ModelCatalog models)
{
    public ModelCatalog Models => models;

    /// <summary>
    /// Runs <paramref name="spec"/> on the Akka engine where <paramref name="placement"/> says.
    /// On a cluster the partition count defaults to the number of nodes; local workers are stopped
    /// whatever happens, and a cancellation fails the run naming its window.
    /// </summary>
    public EngineRun Run(ModelSpec spec, RunPlacement placement, RunControl? control = null)
    {
        control ??= new RunControl();
        if (placement is RunPlacement.Embedded)
        {
            var partitions = placement.Partitions ?? 1;
            var result = AkkaEngine.WithSystem(HoconConfig.Embedded(), models, system =>
            {
                if (control.Warmup is not null)
                {
                    AkkaEngine.RunIn(system, control.Warmup, partitions);
                }

                return AkkaEngine.RunIn(system, spec, partitions, control.Progress);
            });
            return new EngineRun(result, 1, 1, null);
        }

        using var session = Join(placement, control.Cancel);
        var partitionCount = placement.Partitions ?? session.Nodes.Count;
        if (control.Warmup is not null)
        {
            session.Run(control.Warmup, partitionCount, control.Cancel);
        }

        var run = session.Run(spec, partitionCount, control.Cancel, control.Progress);
        return new EngineRun(run.Result, session.Nodes.Count, run.NodeOfPartition.Distinct().Count(), run);
    }

    /// <summary>
    /// Runs a scenario and judges it. A run that is observed (recorded, drawn as a timeline, watched
    /// by <see cref="ScenarioOutputs.Observer"/>, or listing its injected faults) runs in this
    /// process, where every delivery can be seen; it has the same windows and trace hash as on the
    /// Akka engine. The partition count is the placement's, or the options' when it gives none.
    /// </summary>
    public ScenarioEngineRun RunScenario(Scenario scenario, ScenarioRunOptions options, RunPlacement placement, ScenarioOutputs outputs, RunControl? control = null)
    {
        var spec = ScenarioRunner.Spec(scenario, options);
        if (outputs.Observed && placement.IsClustered)
        {
            throw new InputException("a recorded, drawn or observed run sees every delivery in this process; it cannot be placed on other nodes");
        }

        // One partition count: the placement's; in this process without one, the options'.
        var placed = placement.Partitions is null && !placement.IsClustered ? placement with { Partitions = options.Partitions } : placement;
        var faults = outputs.ListFaults && spec.Faults is { Rules.Count: > 0 } && !placement.IsClustered ? new InjectedFaults() : null;
        var inProcess = outputs.Observed || faults is not null;
        var artifacts = new ArtifactList();
        var observer = Core.Partitioning.CompositeObserver.Of(outputs.Observer, faults);
        var run = inProcess
            ? EngineRun.InProcess(RunArtifacts.Run(scenario, options with { Partitions = placed.Partitions!.Value }, outputs.RecordPath, outputs.Timeline, artifacts, observer).Result)
            : Run(spec, placed, control);
        var engine = inProcess ? "in-process" : run.Cluster is null ? "akka" : "cluster";
        var injected = faults?.List(RecordedModels.MessageNames(spec));
        return new ScenarioEngineRun(spec, run, Verdict.Judge(scenario, run.Result.Report), engine, artifacts, injected);
    }

    /// <summary>Replay, what-if and minimisation of recorded runs, with these models.</summary>
    public RecordedRuns Recorded => new(models);

    /// <summary>Rebuilds a recorded spec's model (replay, minimise, exploration); <paramref name="timeline"/> draws it.</summary>
    public Func<ModelSpec, IModelFactory> Resolver(ITimelineSink? timeline = null) => RecordedModels.Resolver(models, timeline);

    private ClusterSession Join(RunPlacement placement, CancellationToken cancel) => placement switch
    {
        RunPlacement.LocalNodes local => ClusterSession.LaunchLocal(local.Nodes, local.Launch, local.Hostname, models, cancel, local.JoinTimeout),
        RunPlacement.RunningCluster running => ClusterSession.JoinRunning(running.Seed, running.Nodes, running.Hostname, models, cancel, running.JoinTimeout),
        _ => throw new InvalidOperationException($"placement {placement} has no cluster"),
    };
}
