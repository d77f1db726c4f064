using System.CommandLine;
using System.Globalization;
using H2Sim.Cluster.Artifacts;
using H2Sim.Cluster.Replay;
using H2Sim.Core.Model;
using H2Sim.Core.Recording;
using H2Sim.Core.Trace;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim replay FILE [--verify] [--drop ID] [--delay ID:CYCLES] [--partitions P] [--timeline OUT]`
/// (architecture.md §8): re-executes a recorded run from its header. With --verify every delivered
/// message is checked against the log and the first divergence is printed with both sides (exit
/// 1); without it the trace hash is compared at the end. --drop/--delay edit one recorded message
/// (ids SOURCE:SEQUENCE, as the log lists them) to ask "what if". A truncated or corrupted log is
/// an input error (exit 2).
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("log") { Description = "A recorded run (.h2log)" };
        var verify = new Option<bool>("--verify") { Description = "Check every delivered message against the log" };
        var drop = new Option<string[]>("--drop") { Description = "Drop recorded message SOURCE:SEQUENCE, or undo the fault that hit it (repeatable)" };
        var delay = new Option<string[]>("--delay") { Description = "Delay recorded message SOURCE:SEQUENCE by CYCLES, or make the fault that hit it that delay (repeatable)" };
        var timeline = new Option<string?>("--timeline") { Description = "Write the replay's timeline: OUT.html (a page) and OUT.json (Chrome trace events); OUT may end in .html or .json" };
        var replay = new Command("replay", "Replay a recorded run, verify it, or ask what-if");
        replay.Arguments.Add(file);
        replay.Options.Add(verify);
        replay.Options.Add(drop);
        replay.Options.Add(delay);
        replay.Options.Add(timeline);
        replay.SetAction(int (parse) =>
        {
            var log = RunLog.Read(parse.GetValue(file)!.FullName);
            var partitions = parse.GetValue(GlobalOptions.Partitions);
            var json = parse.GetValue(GlobalOptions.Json);
            var edits = Edits(parse.GetValue(drop), parse.GetValue(delay));
            var timelineFiles = parse.GetValue(timeline) is { } timelineOut ? TimelineFiles.For(timelineOut, "--timeline") : null;
            var recorder = timelineFiles is null ? null : new TimelineRecorder();
            var recorded = H2SimModels.Simulation.Recorded;
            var artifacts = new ArtifactList();
            if (edits.Count > 0)
            {
                var whatIf = recorded.WhatIf(log, partitions, edits, recorder);
                WriteTimeline(timelineFiles, recorder, whatIf.VirtualCycles, whatIf.Report, log, artifacts, "what-if");
                Print(json, log, "what-if", whatIf.Report, whatIf.TraceHash, null, artifacts);
                return FailureSignature.Of(whatIf.Report) is null ? ExitCodes.Success : ExitCodes.SimulationFailure;
            }

            var result = recorded.Replay(log, partitions, parse.GetValue(verify), recorder);
            if (result.Run is not null)
            {
                WriteTimeline(timelineFiles, recorder, result.Run.VirtualCycles, result.Run.Report, log, artifacts, "replay");
            }

            Print(json, log, result.Verified ? "verified" : "diverged", result.Run?.Report, result.Run?.TraceHash, result.Divergence, artifacts);
            return result.Verified ? ExitCodes.Success : ExitCodes.SimulationFailure;
        });
        return replay;
    }

    private static List<(MessageId Id, ulong? DelayCycles)> Edits(string[]? drops, string[]? delays)
    {
        var edits = new List<(MessageId, ulong?)>();
        foreach (var id in drops ?? [])
        {
            edits.Add((Replayer.ParseMessageId(id), null));
        }

        foreach (var text in delays ?? [])
        {
            var cut = text.LastIndexOf(':');
            if (cut <= 0 || !ulong.TryParse(text[(cut + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var cycles))
            {
                throw new UsageException($"--delay expects SOURCE:SEQUENCE:CYCLES, got '{text}'");
            }

            edits.Add((Replayer.ParseMessageId(text[..cut]), cycles));
        }

        return edits;
    }

    private static void WriteTimeline(TimelineFiles? files, TimelineRecorder? recorder, ulong endCycles, ModelReport report, RunLog log, ArtifactList artifacts, string what)
    {
        if (files is not null && recorder is not null)
        {
            RunArtifacts.WriteTimeline(files, recorder, endCycles, $"{what} of {log.Manifest.ScenarioId}", report, log.Manifest.Spec, artifacts);
        }
    }

    private static void Print(bool json, RunLog log, string status, ModelReport? report, ulong? hash, ReplayDivergenceException? divergence, ArtifactList artifacts)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteString("status", status);
                w.WriteString("scenario", log.Manifest.ScenarioId);
                w.WriteString("recordedTraceHash", TraceDigest.Format(log.End.TraceHash));
                w.WriteString("traceHash", hash is { } h ? TraceDigest.Format(h) : null);
                w.WriteNumber("recordedEvents", log.Events.Count);
                if (report is not null)
                {
                    w.WritePropertyName("outcome");
                    ReportJson.WriteOutcome(w, report);
                }

                if (divergence is not null)
                {
                    w.WriteStartObject("divergence");
                    w.WriteNumber("index", divergence.Index);
                    w.WriteString("expected", divergence.Expected?.ToString());
                    w.WriteString("actual", divergence.Actual?.ToString());
                    w.WriteEndObject();
                }

                artifacts.WriteJson(w);
            }));
            return;
        }

        Console.Out.WriteLine($"{log.Manifest.ScenarioId}: {status}; recorded {log.Events.Count} messages, hash {TraceDigest.Format(log.End.TraceHash)} ({log.End.OutcomeKind})");
        if (report is not null)
        {
            Console.Out.WriteLine($"  outcome {report.OutcomeKind}: {report.Detail}");
            foreach (var s in report.Stranded)
            {
                Console.Out.WriteLine($"  stranded VM {s.Vm} cpuidx {s.Cpuidx} {s.Status}: waits on {s.WaitsOn}; {s.WhoCouldWake}");
            }
        }

        if (hash is { } replayed)
        {
            Console.Out.WriteLine($"  replay hash {TraceDigest.Format(replayed)}");
        }

        if (divergence is not null)
        {
            Console.Out.WriteLine(divergence.Index < 0 && divergence.Expected is null
                ? "  the replay's trace hash differs from the recorded one"
                : $"  first divergence at recorded message {divergence.Index}:\n    recorded: {divergence.Expected?.ToString() ?? "(nothing)"}\n    replayed: {divergence.Actual?.ToString() ?? "(nothing)"}");
        }

        artifacts.Print("  ");
    }
}
