using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;

namespace H2Sim.Cluster.Replay;

/// <summary>
/// What can be done with a recorded run (architecture.md §8): replay it (checking every delivery,
/// or only the trace hash at the end), ask what-if with some messages dropped or delayed, and
/// minimise a failing one. Each rebuilds the run's model from the log with the given catalog.
/// </summary>
public sealed class RecordedRuns(ModelCatalog models)
{
    /// <summary>Replays the log; with <paramref name="verify"/> every delivered message is checked against it, else the trace hash at the end.</summary>
    public ReplayResult Replay(RunLog log, int partitions, bool verify, TimelineRecorder? timeline = null)
    {
        var resolve = RecordedModels.Resolver(models, timeline);
        if (verify)
        {
            return Replayer.Replay(log, resolve, partitions, timeline);
        }

        var run = InProcessRunner.Run(log.Manifest.Spec, resolve(log.Manifest.Spec), partitions, timeline);
        return new ReplayResult(run, run.TraceHash == log.End.TraceHash ? null : new ReplayDivergenceException(null, null, -1));
    }

    /// <summary>The run again with each edited message dropped (no delay) or delayed, or the fault that hit it changed so.</summary>
    public RunResult WhatIf(RunLog log, int partitions, IReadOnlyList<(MessageId Id, ulong? DelayCycles)> edits, TimelineRecorder? timeline = null)
    {
        CheckEdits(log, edits);
        return Replayer.WhatIf(log, RecordedModels.Resolver(models, timeline), partitions, edits, timeline);
    }

    /// <summary>
    /// Shrinks a failing run: its faults, then (kernel model) its guest-timing perturbations, forced
    /// choices and scenario; the smallest run that fails the same way is recorded again into the
    /// returned log parts.
    /// </summary>
    public MinimizedRun Minimize(RunLog log)
    {
        var resolve = RecordedModels.Resolver(models);
        var kernelModel = log.Manifest.Spec.Model == "kernel";
        var result = new Minimizer(resolve).Minimize(log, kernelModel ? new ScenarioReducer() : null, kernelModel ? new RunDecisions() : null);
        var recorder = new RunRecorder();
        var final = InProcessRunner.Run(result.Spec, resolve(result.Spec), 1, recorder);
        var manifest = log.Manifest.Clone();
        manifest.Spec = result.Spec;
        return new MinimizedRun(result, final, manifest, recorder);
    }

    /// <summary>
    /// Every edit must name a message a fault can touch (an IPI, KILL, CHILDINT, timer or
    /// interconnect message in the log) or one a recorded fault hit; anything else would replay
    /// unchanged and look like an answer.
    /// </summary>
    private static void CheckEdits(RunLog log, IEnumerable<(MessageId Id, ulong? DelayCycles)> edits)
    {
        var names = RecordedModels.MessageNames(log.Manifest.Spec);
        var faulted = Minimizer.InjectedFaults(log).Select(r => r.Ids.Single()).ToHashSet();
        foreach (var (id, _) in edits)
        {
            if (faulted.Contains(id))
            {
                continue;
            }

            var text = $"{id.Source}:{id.Sequence}";
            var found = log.Events.Where(e => e.Kind >= 0 && e.Source == id.Source && e.Sequence == id.Sequence).Take(1).ToList();
            if (found.Count == 0)
            {
                throw new InputException($"message {text} is not in the log and no recorded fault hit it (the log's listing gives the ids)");
            }

            var message = found[0];
            if (names.FaultKind(message) is null)
            {
                throw new InputException($"message {text} is a {names.Kind(message.Kind)} ({names.Actor(message.Source)} -> {names.Actor(message.Target)}), which faults never touch: drop or delay an IPI, KILL, CHILDINT, timer or interconnect message");
            }
        }
    }
}

/// <summary>A minimised run: what the minimiser kept, the final run, and its manifest and deliveries for a log.</summary>
public sealed record MinimizedRun(MinimizeResult Result, RunResult Final, RunManifest Manifest, RunRecorder Recorder)
{
    public void WriteLog(string path) => RunLog.Write(path, Manifest, Recorder.Merged(), Final.TraceHash, Final.Report.OutcomeKind);
}
