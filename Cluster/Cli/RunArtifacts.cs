using H2Sim.Core.Partitioning;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.Protocol.Trace;

namespace H2Sim.Cluster.Cli;

/// <summary>
/// Runs a scenario in process while recording its log (--record) and/or drawing its timeline
/// (--timeline OUT → OUT.json and OUT.html). Same windows, same trace hash as the Akka engine.
/// </summary>
public static class RunArtifacts
{
    public static ScenarioRunResult Run(Scenario scenario, ScenarioRunOptions options, string? recordPath, string? timelineOut)
    {
        var recorder = recordPath is null ? null : new RunRecorder();
        var timeline = timelineOut is null ? null : new TimelineRecorder();
        var observer = CompositeObserver.Of(recorder, timeline);
        var run = ScenarioRunner.Run(scenario, options, observer: observer, timeline: timeline);
        if (recorder is not null)
        {
            WriteLog(recordPath!, ScenarioRunner.Spec(scenario, options), run, recorder, scenario.Name);
        }

        if (timeline is not null)
        {
            WriteTimeline(timelineOut!, timeline, run.Result.VirtualCycles, $"{scenario.Name} on {options.Kernel}, seed {options.Seed}");
        }

        return run;
    }

    public static void WriteLog(string path, Protocol.Model.ModelSpec spec, ScenarioRunResult run, RunRecorder recorder, string scenarioName)
    {
        if (!path.EndsWith(RunLog.Extension, StringComparison.Ordinal))
        {
            throw new UsageException($"--record: a log file name ends in {RunLog.Extension}, got '{path}'");
        }

        var manifest = new RunManifest
        {
            ScenarioId = scenarioName,
            Spec = spec,
            Seed = spec.Seed,
            H2SimVersion = VersionInfo.Text,
            ProtocolVersion = "1",
            Partitions = (uint)run.Result.Partitions,
        };
        RunLog.Write(path, manifest, recorder.Merged(), run.Result.TraceHash, run.Result.Report.OutcomeKind);
    }

    public static (string Json, string Html) WriteTimeline(string output, TimelineRecorder timeline, ulong endCycles, string title)
    {
        timeline.Close(endCycles);
        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        Directory.CreateDirectory(directory);
        var json = output + ".json";
        var html = output + ".html";
        ChromeTraceWriter.Write(json, timeline, title);
        TimelineHtmlWriter.Write(html, timeline, title);
        return (json, html);
    }
}
