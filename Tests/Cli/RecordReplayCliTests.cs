using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// The record / replay / minimize / explore verbs end to end on scenario files, through the same
/// entry point the `h2sim` binary uses: exit codes 0 (clean), 1 (failure or divergence), 2 (input).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RecordReplayCliTests : IDisposable
{
    private static readonly string Scenarios = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "scenarios", "h2-pthread");
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            return (H2SimCli.Run(args), stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    private static string Scenario(string name) => Path.GetFullPath(Path.Combine(Scenarios, name + ".yaml"));

    [Fact]
    public void A_recorded_run_replays_verified_on_another_partition_count_and_a_dropped_childint_hangs()
    {
        var log = Path.Combine(directory, "stuck.h2log");
        var (code, _, err) = Cli("run", Scenario("stuck_in_mutex"), "--kernel", "master", "--record", log, "--json");
        Assert.True(code == 0, err);

        var replay = Cli("replay", log, "--verify", "--partitions", "3", "--json");
        Assert.Equal(0, replay.Code);
        Assert.Contains("\"status\": \"verified\"", replay.Out);

        // The CHILDINT to the booter, by its id in the log.
        var childInt = H2Sim.Core.Recording.RunLog.Read(log).Events.Single(e => e.Kind == H2Sim.HwThreadActors.System.EventKinds.ChildInt);
        var whatIf = Cli("replay", log, "--drop", $"{childInt.Source}:{childInt.Sequence}", "--json");
        Assert.Equal(1, whatIf.Code);
        Assert.Contains("\"kind\": \"hang\"", whatIf.Out);
    }

    [Fact]
    public void A_truncated_or_modified_log_is_an_input_error_with_one_line()
    {
        var log = Path.Combine(directory, "run.h2log");
        Assert.Equal(0, Cli("run", Scenario("join_basic"), "--kernel", "pr39", "--record", log).Code);
        var bytes = File.ReadAllBytes(log);
        File.WriteAllBytes(log + ".cut.h2log", bytes[..(bytes.Length - 7)]);
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 3] ^= 0x01;
        File.WriteAllBytes(log + ".flip.h2log", flipped);

        foreach (var bad in new[] { log + ".cut.h2log", log + ".flip.h2log", log + ".missing.h2log" })
        {
            var (code, _, err) = Cli("replay", bad);
            Assert.Equal(ExitCodes.UsageError, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", err);
        }
    }

    [Fact]
    public void Explore_with_random_faults_finds_the_r2_hang_within_300_runs_and_its_log_replays_to_the_same_hang()
    {
        var output = Path.Combine(directory, "explore");
        var (code, stdout, err) = Cli("explore", Scenario("exit_vs_futex_block"), "--kernel", "master", "--bug", "vmwork-gate-needs-ie", "--strategy", "random", "--faults", "random", "--runs", "300", "--out", output, "--json");

        Assert.True(code == ExitCodes.SimulationFailure, err);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var hang = json.RootElement.GetProperty("failures").EnumerateArray().First(f => f.GetProperty("signature").GetString()!.StartsWith("hang:BLOCKED", StringComparison.Ordinal));
        var replay = Cli("replay", hang.GetProperty("log").GetString()!, "--verify", "--json");
        Assert.Equal(0, replay.Code);
        Assert.Contains("\"kind\": \"hang\"", replay.Out);
    }

    [Fact]
    public void Minimize_keeps_the_failure_and_shrinks_faults_and_scenario()
    {
        var log = Path.Combine(directory, "r2.h2log");
        Cli("run", Scenario("exit_vs_futex_block"), "--kernel", "master", "--bug", "vmwork-gate-needs-ie", "--param", "blocker_spins=700", "--fault", "*:delay:0.6:1-5", "--record", log);
        var minimal = Path.Combine(directory, "r2.min.h2log");

        var (code, stdout, err) = Cli("minimize", log, "-o", minimal, "--json");

        Assert.True(code == 0, err);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("hang:BLOCKED/futex", json.RootElement.GetProperty("signature").GetString());
        Assert.True(json.RootElement.GetProperty("faultsAfter").GetInt32() < json.RootElement.GetProperty("faultsBefore").GetInt32());
        Assert.NotEqual(json.RootElement.GetProperty("scenarioBefore").GetString(), json.RootElement.GetProperty("scenarioAfter").GetString());
        Assert.Equal(0, Cli("replay", minimal, "--verify").Code);
    }

    [Fact]
    public void Bad_fault_flags_are_input_errors()
    {
        Assert.Equal(ExitCodes.UsageError, Cli("run", Scenario("join_basic"), "--kernel", "master", "--fault", "IPI:drop").Code);
        Assert.Equal(ExitCodes.UsageError, Cli("run", Scenario("join_basic"), "--kernel", "master", "--fault", "KILL:drop:2").Code);
        Assert.Equal(ExitCodes.UsageError, Cli("run", Scenario("join_basic"), "--kernel", "master", "--faults", "/nonexistent/plan.conf").Code);
    }
}
