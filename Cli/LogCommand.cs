using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using H2Sim.Cluster.Replay;
using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Recording;
using H2Sim.Core.Trace;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim log FILE [--json]`: a recorded run for people. The manifest (scenario and its text,
/// kernel, bugs, parameters, seed, fault plan, schedule settings, versions), every delivered
/// message with its id (SOURCE:SEQUENCE, as `replay --drop/--delay` and fault plans take it),
/// time, kind, source → destination and the faults applied to it, then the trailer. With --json the
/// same, field for field: the manifest in protobuf's JSON form, so a log can be rebuilt from it.
/// </summary>
public static class LogCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("log") { Description = "A recorded run (.h2log)" };
        var log = new Command("log", "Show a recorded run: its manifest, every delivered message with its id, the trailer");
        log.Arguments.Add(file);
        log.SetAction(int (parse) =>
        {
            var path = parse.GetValue(file)!;
            var runLog = RunLog.Read(path.FullName);
            var entries = LogEntries.Of(runLog, RecordedModels.MessageNames(runLog.Manifest.Spec));
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.Out.WriteLine(JsonOutput.Write(w => WriteJson(w, path.ToString(), runLog, entries)));
            }
            else
            {
                LogText.Print(path.ToString(), runLog, entries);
            }

            return ExitCodes.Success;
        });
        return log;
    }

    private static void WriteJson(Utf8JsonWriter w, string path, RunLog log, IReadOnlyList<LogEntry> entries)
    {
        w.WriteString("file", path);
        w.WritePropertyName("manifest");
        using (var manifest = JsonDocument.Parse(ManifestFormatter.Format(log.Manifest)))
        {
            manifest.RootElement.WriteTo(w);
        }

        w.WriteStartArray("messages");
        foreach (var entry in entries)
        {
            WriteEntry(w, entry);
        }

        w.WriteEndArray();
        w.WriteStartObject("trailer");
        w.WriteString("traceHash", TraceDigest.Format(log.End.TraceHash));
        w.WriteNumber("events", log.End.Events);
        w.WriteString("checksum", TraceDigest.Format(log.End.Checksum));
        w.WriteString("outcomeKind", log.End.OutcomeKind);
        w.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter w, LogEntry entry)
    {
        var ev = entry.Event;
        w.WriteStartObject();
        w.WriteString("id", entry.Id);
        w.WriteString("record", entry.Record switch
        {
            LoggedRecord.FaultNote => "fault",
            LoggedRecord.Duplicate => "duplicate",
            LoggedRecord.ReorderRelease => "reorder-release",
            _ => "message",
        });
        w.WriteNumber("time", ev.Time);
        w.WriteString("kind", entry.Kind);
        w.WriteString("from", entry.From);
        w.WriteString("to", entry.To);
        w.WriteString("faultKind", entry.FaultKind);
        w.WriteString("arguments", entry.Arguments);
        w.WriteStartArray("faults");
        foreach (var fault in entry.Faults)
        {
            w.WriteStartObject();
            w.WriteString("action", fault.Action);
            w.WriteNumber("delayCycles", fault.DelayCycles);
            w.WriteNumber("noteCycles", fault.NoteCycles);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        // The record exactly as logged (the canonical 52-byte form the trace hash covers).
        w.WriteStartObject("raw");
        w.WriteNumber("time", ev.Time);
        w.WriteNumber("target", ev.Target);
        w.WriteNumber("source", ev.Source);
        w.WriteNumber("sequence", ev.Sequence);
        w.WriteNumber("kind", ev.Kind);
        w.WriteNumber("a", ev.A);
        w.WriteNumber("b", ev.B);
        w.WriteNumber("c", ev.C);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>protobuf's JSON form of the manifest with every field, defaults included, so nothing is left out.</summary>
    private static class ManifestFormatter
    {
        private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

        public static string Format(RunManifest manifest) => Formatter.Format(manifest);
    }
}
