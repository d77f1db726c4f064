using H2Sim.Cluster.Replay;
using H2Sim.Core.Input;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;

namespace H2Sim.Cluster.Artifacts;

/// <summary>
/// Runs a scenario in process while recording its log, drawing its timeline (a page and a Chrome
/// trace, <see cref="TimelineFiles"/>) and/or feeding another delivery observer (the CLI's list of
/// injected faults). Same windows, same trace hash as the Akka engine. Each file written is added
/// to the caller's <see cref="ArtifactList"/>.
/// </summary>
public static class RunArtifacts
{
    public static ScenarioRunResult Run(Scenario scenario, ScenarioRunOptions options, string? recordPath, TimelineFiles? timelineFiles, ArtifactList artifacts, IDeliveryObserver? observer = null)
    {
        var recorder = recordPath is null ? null : new RunRecorder();
        var timeline = timelineFiles is null ? null : new TimelineRecorder();
        var observers = CompositeObserver.Of(recorder, timeline, observer);
        var run = ScenarioRunner.Run(scenario, options, observer: observers, timeline: timeline);
        var spec = ScenarioRunner.Spec(scenario, options);
        if (recorder is not null)
        {
            WriteLog(recordPath!, spec, run, recorder, scenario.Name);
            artifacts.Add(recordPath!, "recorded run: h2sim log / replay / minimize");
        }

        if (timeline is not null)
        {
            WriteTimeline(timelineFiles!, timeline, run.Result.VirtualCycles, $"{scenario.Name} on {options.Kernel.Name()}, seed {options.Seed}", run.Report, spec, artifacts);
        }

        return run;
    }

    /// <summary>Checks a log path before the run: a log name ends in .h2log and can be written; errors start with <paramref name="what"/>.</summary>
    public static string? CheckLogPath(string? path, string what)
    {
        if (path is null)
        {
            return null;
        }

        if (!path.EndsWith(RunLog.Extension, StringComparison.Ordinal))
        {
            throw new InputException($"{what}: a log file name ends in {RunLog.Extension}, got '{path}'");
        }

        return OutputPaths.File(path, what);
    }

    public static void WriteLog(string path, ModelSpec spec, ScenarioRunResult run, RunRecorder recorder, string scenarioName)
    {
        CheckLogPath(path, "a run log");
        var manifest = new RunManifest
        {
            ScenarioId = scenarioName,
            Spec = spec,
            Seed = spec.Seed,
            H2SimVersion = VersionInfo.Text,
            ProtocolVersion = RunLog.ProtocolVersion,
            Partitions = (uint)run.Result.Partitions,
        };
        RunLog.Write(path, manifest, recorder.Merged(), run.Result.TraceHash, run.Result.Report.OutcomeKind);
    }

    /// <summary>Writes both timeline files, each whole or not at all; VM names come from the spec's scenario.</summary>
    public static void WriteTimeline(TimelineFiles files, TimelineRecorder timeline, ulong endCycles, string title, ModelReport? report, ModelSpec spec, ArtifactList artifacts)
    {
        var document = TimelineDocument.From(timeline, endCycles, title, report, Replay.RecordedModels.MessageNames(spec) as KernelMessageNames);
        ArtifactFile.Write(files.Html, stream => TimelineHtmlWriter.Write(stream, document));
        ArtifactFile.Write(files.Json, stream => ChromeTraceWriter.Write(stream, document));
        artifacts.Add(files.Html, "timeline page: open in a browser");
        artifacts.Add(files.Json, "Chrome trace: open in ui.perfetto.dev or chrome://tracing");
    }
}
