using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Core.Faults;
using H2Sim.Core.Recording;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// Explore, sweep and run hand over what to do next: a failure comes with the replay and minimize
/// command lines (and they work when pasted), its signature always says something, a sweep with a
/// failing value exits 1 as every judging verb does, and a run with faults lists the faults it
/// injected, the same ones its log records.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class NextStepTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-next-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Scenario(string name) => Path.Combine(ScenarioTestSupport.SuiteDirectory, name + ".yaml");

    private static string[] Words(string commandLine) => commandLine.Split(' ').Skip(1).ToArray();

    [Fact]
    public void Sweep_exits_1_when_a_value_fails_and_prints_the_commands_that_record_minimise_and_replay_it()
    {
        var failing = CliRunner.Run("sweep", Scenario("exit_vs_futex_block"), "--param", "blocker_spins=600..800:100", "--kernel", "pr39");
        var passing = CliRunner.Run("sweep", Scenario("exit_vs_futex_block"), "--param", "blocker_spins=600..650:50", "--kernel", "pr39");

        Assert.Equal(ExitCodes.SimulationFailure, failing.ExitCode);
        Assert.Equal(ExitCodes.Success, passing.ExitCode);
        Assert.DoesNotContain("paste", passing.Stdout, StringComparison.Ordinal);
        var lines = failing.Stdout.Split('\n').Select(l => l.Trim()).ToList();
        var record = Assert.Single(lines, l => l.Contains(" run ", StringComparison.Ordinal));
        Assert.Contains("--param blocker_spins=700 --record blocker_spins-700.h2log", record, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith(" minimize blocker_spins-700.h2log -o blocker_spins-700.min.h2log", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(" replay blocker_spins-700.min.h2log --verify --timeline blocker_spins-700", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(CliRunner.Run("sweep", Scenario("exit_vs_futex_block"), "--param", "blocker_spins=600..800:100", "--kernel", "pr39", "--json").Stdout);
        Assert.All(json.RootElement.GetProperty("points").EnumerateArray(), p =>
            Assert.Equal(p.GetProperty("verdict").GetString() != "PASS", p.TryGetProperty("reproduce", out _)));
    }

    [Fact]
    public void The_pasted_sweep_commands_record_and_minimise_the_failing_value()
    {
        var json = JsonDocument.Parse(CliRunner.Run("sweep", Scenario("exit_vs_futex_block"), "--param", "blocker_spins=700..700", "--kernel", "pr39", "--json").Stdout);
        var reproduce = json.RootElement.GetProperty("points")[0].GetProperty("reproduce");
        var log = Path.Combine(directory, "v700.h2log");
        var record = Words(reproduce.GetProperty("record").GetString()!).Select(w => w == "blocker_spins-700.h2log" ? log : w).ToArray();

        Assert.Equal(ExitCodes.SimulationFailure, CliRunner.Run(record).ExitCode);
        var minimized = Path.Combine(directory, "v700.min.h2log");
        var minimize = CliRunner.Run("minimize", log, "-o", minimized);
        Assert.Equal(ExitCodes.Success, minimize.ExitCode);
        Assert.Contains($"replay {minimized} --verify", minimize.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_explore_failure_comes_with_replay_and_minimize_commands_that_work_and_a_signature_that_says_something()
    {
        var output = Path.Combine(directory, "found");
        var explore = CliRunner.Run("explore", Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "races", "r2_killed_blocker_escapes_gate.yaml"), "--kernel", "master", "--bug", "vmwork-gate-needs-ie", "--strategy", "pct", "--runs", "100", "--out", output, "--json");

        Assert.Equal(ExitCodes.SimulationFailure, explore.ExitCode);
        using var json = JsonDocument.Parse(explore.Stdout);
        var failures = json.RootElement.GetProperty("failures").EnumerateArray().ToList();
        Assert.NotEmpty(failures);
        foreach (var failure in failures)
        {
            var signature = failure.GetProperty("signature").GetString()!;
            Assert.DoesNotContain("::", signature, StringComparison.Ordinal);
            Assert.False(signature.EndsWith(':'), signature);
            var log = failure.GetProperty("log").GetString()!;
            Assert.Equal($"h2sim replay {log} --verify --timeline {Path.ChangeExtension(log, null)}", failure.GetProperty("replay").GetString());
            Assert.Equal($"h2sim minimize {log} -o {Path.ChangeExtension(log, null)}.min.h2log", failure.GetProperty("minimize").GetString());
        }

        var first = failures[0];
        Assert.Equal(ExitCodes.Success, CliRunner.Run(Words(first.GetProperty("replay").GetString()!)).ExitCode);
        Assert.True(File.Exists(Path.ChangeExtension(first.GetProperty("log").GetString()!, ".html")));
        Assert.Equal(ExitCodes.Success, CliRunner.Run(Words(first.GetProperty("minimize").GetString()!)).ExitCode);
    }

    [Fact]
    public void A_hang_that_strands_no_context_still_has_a_signature_that_names_it()
    {
        var report = new ModelReport { OutcomeKind = "hang", Detail = "the booter waits for a CHILDINT that never comes" };

        Assert.Equal("hang:no-stranded-context", FailureSignature.Of(report));
    }

    [Fact]
    public void Run_with_faults_lists_the_faults_it_injected_as_its_log_records_them()
    {
        var log = Path.Combine(directory, "faulty.h2log");
        string[] args = ["run", Scenario("exit_vs_futex_block"), "--kernel", "master", "--fault", "*:delay:0.6:1-5"];

        var text = CliRunner.Run([.. args, "--record", log]);
        var json = CliRunner.Run([.. args, "--json"]);

        var notes = RunLog.Read(log).Events.Where(e => e.Kind == EngineEventKinds.FaultInjected).ToList();
        Assert.NotEmpty(notes);
        Assert.Contains($"faults injected: {notes.Count}", text.Stdout, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Stdout);
        var listed = document.RootElement.GetProperty("faultsInjected").EnumerateArray().ToList();
        Assert.Equal(notes.Select(n => $"{n.B}:{n.C}").Order(), listed.Select(f => f.GetProperty("id").GetString()!).Order());
        Assert.All(listed, f => Assert.Equal("delay", f.GetProperty("action").GetString()));
        Assert.All(listed, f => Assert.InRange(f.GetProperty("delayCycles").GetUInt64(), 1UL, 5UL));
        Assert.All(notes, n => Assert.Contains($"{n.B}:{n.C}", text.Stdout, StringComparison.Ordinal));
    }
}
