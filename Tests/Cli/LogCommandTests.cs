using System.Text.Json;
using Google.Protobuf;
using H2Sim.Cli;
using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Trace;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// `h2sim log FILE [--json]`: a recorded run for people. The JSON carries every field of the log
/// (a log rebuilt from it is byte for byte the recorded one); the text lists every message by the id
/// replay and fault plans take; the kernel model names actors and kinds, and a kind it does not
/// know prints as kind-N.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class LogCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-log-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Scenario(string name) => Path.Combine(ScenarioTestSupport.SuiteDirectory, name + ".yaml");

    /// <summary>A run whose log holds every kind of record: messages, fault notes, duplicates, delayed and reordered messages.</summary>
    private string RecordFaultyRun()
    {
        var log = Path.Combine(directory, "faulty.h2log");
        var run = CliRunner.Run(
            "run", Scenario("exit_vs_futex_block"), "--kernel", "master", "--seed", "5", "--param", "blocker_spins=800",
            "--fault", "RESCHED_INT:duplicate:0.5", "--fault", "*:reorder:0.3:0-300", "--fault", "*:delay:0.5:1-40", "--cost-jitter", "3", "--record", log, "--json");
        Assert.True(run.ExitCode is 0 or 1, run.Stderr);
        return log;
    }

    [Fact]
    public void Log_json_round_trips_every_field_of_a_recorded_run()
    {
        var path = RecordFaultyRun();
        var recorded = RunLog.Read(path);
        Assert.Contains(recorded.Events, e => e.Kind == EngineEventKinds.FaultInjected);
        Assert.Contains(recorded.Events, e => (e.Sequence & EngineEventKinds.DuplicateSequenceBit) != 0);

        var outcome = CliRunner.Run("log", path, "--json");

        Assert.Equal(0, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Stdout);
        var root = json.RootElement;
        var manifest = JsonParser.Default.Parse<RunManifest>(root.GetProperty("manifest").GetRawText());
        var events = root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("raw")).Select(r => new SimEvent(
            r.GetProperty("time").GetUInt64(),
            r.GetProperty("target").GetUInt32(),
            r.GetProperty("source").GetUInt32(),
            r.GetProperty("sequence").GetUInt64(),
            r.GetProperty("kind").GetInt32(),
            r.GetProperty("a").GetInt64(),
            r.GetProperty("b").GetInt64(),
            r.GetProperty("c").GetInt64())).ToList();
        var trailer = root.GetProperty("trailer");
        var rebuilt = Path.Combine(directory, "rebuilt.h2log");
        RunLog.Write(rebuilt, manifest, events, ulong.Parse(trailer.GetProperty("traceHash").GetString()![2..], System.Globalization.NumberStyles.HexNumber, null), trailer.GetProperty("outcomeKind").GetString()!);

        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(rebuilt));
        Assert.Equal(recorded.End.Checksum, ulong.Parse(trailer.GetProperty("checksum").GetString()![2..], System.Globalization.NumberStyles.HexNumber, null));
        Assert.Equal((ulong)recorded.Events.Count, trailer.GetProperty("events").GetUInt64());
    }

    [Fact]
    public void Log_names_each_message_by_its_replay_id_and_shows_the_faults_applied_to_it()
    {
        var path = RecordFaultyRun();
        var recorded = RunLog.Read(path);

        using var json = JsonDocument.Parse(CliRunner.Run("log", path, "--json").Stdout);
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToList();

        Assert.Equal(recorded.Events.Count, messages.Count);
        foreach (var (message, ev) in messages.Zip(recorded.Events))
        {
            if (ev.Kind >= 0)
            {
                Assert.Equal($"{ev.Source}:{ev.Sequence & ~(EngineEventKinds.DuplicateSequenceBit | EngineEventKinds.ReleaseSequenceBit)}", message.GetProperty("id").GetString());
                Assert.Equal(EventKinds.Name(ev.Kind), message.GetProperty("kind").GetString());
            }
        }

        // A message a fault delayed says so, by the same id the fault record names.
        var note = recorded.Events.First(e => e.Kind == EngineEventKinds.FaultInjected && FaultNote.Decode(e.A).Action == FaultAction.Delay);
        var delayed = messages.Single(m => m.GetProperty("record").GetString() == "message" && m.GetProperty("id").GetString() == $"{note.B}:{note.C}");
        var fault = Assert.Single(delayed.GetProperty("faults").EnumerateArray());
        Assert.Equal("delay", fault.GetProperty("action").GetString());
        Assert.Equal(FaultNote.Decode(note.A).DelayCycles, fault.GetProperty("delayCycles").GetUInt64());
        Assert.Equal(delayed.GetProperty("raw").GetProperty("time").GetUInt64() - fault.GetProperty("delayCycles").GetUInt64(), note.Time);

        var text = CliRunner.Run("log", path);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"{note.B}:{note.C}", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("fault: delayed +", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("scenario: exit_vs_futex_block", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("blocker_spins=800", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("RESCHED_INT duplicate p=0.5", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"trace hash 0x{recorded.End.TraceHash:x16}", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kernel_model_names_hthreads_and_vms_and_prints_an_unknown_kind_as_kind_n()
    {
        var scenario = ScenarioLoader.LoadFile(Scenario("stuck_in_mutex"));
        var names = new KernelMessageNames(scenario.Build(null));

        Assert.Equal("c0/hthread 2", names.Actor(ActorLayout.HThread(0, 2)));
        Assert.Equal("c0/vm 2 (test)", names.Actor(ActorLayout.VmBlock(0, 2)));
        Assert.Equal("c0/vm 1 (booter)", names.Actor(ActorLayout.VmBlock(0, 1)));
        Assert.Equal("c0/vm 9", names.Actor(ActorLayout.VmBlock(0, 9)));
        Assert.Equal("childint", names.Kind(EventKinds.ChildInt));
        Assert.Equal("kind-4242", names.Kind(4242));
        Assert.Null(names.FaultKind(new SimEvent(0, 0, 0, 0, EventKinds.GuestResume, 0, 0, 0)));
        Assert.Equal("CHILDINT", names.FaultKind(new SimEvent(0, 0, 0, 0, EventKinds.ChildInt, 0, 0, 0)));
    }

    [Fact]
    public void Replay_with_an_id_that_names_nothing_a_fault_could_touch_is_an_input_error()
    {
        var log = Path.Combine(directory, "plain.h2log");
        Assert.Equal(ExitCodes.SimulationFailure, CliRunner.Run("run", Scenario("stuck_in_mutex"), "--kernel", "base", "--record", log).ExitCode);
        var guestResume = RunLog.Read(log).Events.First(e => e.Kind == EventKinds.GuestResume);

        foreach (var args in new[]
        {
            new[] { "replay", log, "--drop", "999:999" },
            ["replay", log, "--delay", "999:999:50"],
            ["replay", log, "--drop", $"{guestResume.Source}:{guestResume.Sequence}"],
        })
        {
            var outcome = CliRunner.Run(args);

            Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
            Assert.Equal(string.Empty, outcome.Stdout);
            Assert.StartsWith("h2sim: message ", Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        }
    }
}
