using System.Diagnostics;
using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// The inputs that once crashed h2sim, hung it or passed a damaged file as good, through the entry
/// point the binary uses: a scenario error found at run time is exit 2 with file:line; --timeout
/// ends a run with TIMEOUT (wall); a damaged, special or huge log is exit 2 at once; cluster
/// start-up that cannot succeed is one named line. Runs that succeed use --json: the terminal
/// output's console (Spectre) keeps the first writer it saw, which an earlier capture disposed.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class RobustnessCliTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-robust-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_overflow_at_run_time_is_an_input_error_with_the_operations_line_on_either_engine(bool inProcess)
    {
        var file = Write("overflow.yaml", "params: {n: 4611686018427387904}\nvms:\n  - threads:\n      main:\n        - spin: n * 2\n        - print: TEST PASSED\n");
        var args = inProcess ? new[] { "run", file, "--record", Path.Combine(directory, "o.h2log") } : ["run", file];

        var outcome = CliRunner.Run(args);

        AssertOneLine(outcome, ExitCodes.UsageError, "h2sim: overflow.yaml:5: spin: cycles: 4611686018427387904 * 2 does not fit 64 bits");
    }

    [Fact]
    public void A_call_that_recurses_without_end_is_an_input_error_at_its_line()
    {
        var file = Write("recursion.yaml", "vms:\n  - threads:\n      main:\n        - call: f\n      f:\n        - call: f\n");

        AssertOneLine(CliRunner.Run("run", file), ExitCodes.UsageError, "h2sim: recursion.yaml:6: call: calls nest deeper than 64");
    }

    [Fact]
    public void A_scenario_that_overflows_the_yaml_or_the_expression_parser_is_an_input_error()
    {
        var alias = Write("alias.yaml", "vms: &v [{name: test, threads: {main: *v}}]\n");
        var division = Write("division.yaml", "vms:\n  - threads:\n      main:\n        - spin: (-9223372036854775807 - 1) / -1\n");

        AssertOneLine(CliRunner.Run("run", alias), ExitCodes.UsageError, "h2sim: alias.yaml:1: alias *v refers to a node that contains it");
        AssertOneLine(CliRunner.Run("run", division), ExitCodes.UsageError, "h2sim: division.yaml:4: spin cycles: -9223372036854775808 / -1 does not fit 64 bits");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run --record")]
    [InlineData("suite")]
    [InlineData("sweep")]
    public void Timeout_ends_an_endless_run_with_verdict_timeout_wall_and_exit_1(string verb)
    {
        var file = Write("endless.yaml", "horizon: 4_000_000_000_000_000\nparams: {n: 1}\nvms:\n  - threads:\n      main:\n        - forever: [{spin: n}]\n");
        string[] args = verb switch
        {
            "run" => ["run", file],
            "run --record" => ["run", file, "--record", Path.Combine(directory, "endless.h2log")],
            "suite" => ["suite", directory, "--kernel", "master"],
            _ => ["sweep", file, "--param", "n=1..2", "--kernel", "master"],
        };

        var outcome = CliRunner.Run([.. args, "--timeout", "1", "--json"]);

        Assert.Equal(ExitCodes.SimulationFailure, outcome.ExitCode);
        Assert.StartsWith("h2sim: TIMEOUT (wall): not finished within --timeout 1 s (stopped during ", Assert.Single(Lines(outcome.Stderr)), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal("TIMEOUT (wall)", json.RootElement.GetProperty("verdict").GetProperty("kind").GetString());
        Assert.False(File.Exists(Path.Combine(directory, "endless.h2log")), "a timed-out run left a log");
    }

    [Fact]
    public void Gen_storm_with_nonsense_sizes_is_an_input_error_before_any_work()
    {
        var output = Path.Combine(directory, "storm.yaml");

        AssertOneLine(CliRunner.Run("gen", "storm", "--clusters", "100000", "-o", output), ExitCodes.UsageError, "h2sim: a storm has 2..64 clusters");
        AssertOneLine(CliRunner.Run("gen", "storm", "--clusters", "64", "--vms-per-cluster", "62", "--threads", "65000", "-o", output), ExitCodes.UsageError, "h2sim: the storm would declare");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Every_damaged_byte_of_a_log_is_exit_2_for_replay_and_minimize_never_verified_or_diverged()
    {
        var log = Path.Combine(directory, "good.h2log");
        var recorded = CliRunner.Run("run", Scenario("stuck_in_mutex"), "--kernel", "master", "--record", log, "--json");
        Assert.True(recorded.ExitCode == 0, recorded.Stderr + recorded.Stdout);
        var bytes = File.ReadAllBytes(log);
        var damaged = Path.Combine(directory, "damaged.h2log");

        // Every byte of the end record and the seal, and a stride through the rest, one bit each.
        var positions = Enumerable.Range(Math.Max(0, bytes.Length - 96), Math.Min(96, bytes.Length)).Concat(Enumerable.Range(0, bytes.Length).Where(i => i % 37 == 0));
        foreach (var position in positions.Distinct())
        {
            var copy = (byte[])bytes.Clone();
            copy[position] ^= (byte)(1 << (position % 8));
            File.WriteAllBytes(damaged, copy);

            var replay = CliRunner.Run("replay", damaged, "--verify");
            AssertOneLine(replay, ExitCodes.UsageError, "h2sim: damaged log: ");
            Assert.Equal(string.Empty, replay.Stdout);
        }

        File.WriteAllBytes(damaged, bytes[..^1]);
        AssertOneLine(CliRunner.Run("replay", damaged), ExitCodes.UsageError, "h2sim: damaged log: ");
        AssertOneLine(CliRunner.Run("minimize", damaged, "-o", Path.Combine(directory, "min.h2log")), ExitCodes.UsageError, "h2sim: damaged log: ");
        Assert.Equal(0, CliRunner.Run("replay", log, "--verify", "--json").ExitCode);
    }

    [Fact]
    public void A_device_a_fifo_a_directory_or_an_empty_file_is_refused_at_once_as_a_log_or_a_scenario()
    {
        var fifo = Path.Combine(directory, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var empty = Write("empty.h2log", string.Empty);
        foreach (var path in new[] { "/dev/zero", fifo, empty })
        {
            AssertOneLine(CliRunner.Run("replay", path), ExitCodes.UsageError, $"h2sim: {path}: empty or not a regular file (expected a log)");
            AssertOneLine(CliRunner.Run("run", path), ExitCodes.UsageError, $"h2sim: {path}: empty or not a regular file (expected a scenario file)");
        }

        AssertOneLine(CliRunner.Run("replay", directory), ExitCodes.UsageError, $"h2sim: {directory}: expected a log, found a directory");
    }

    [Fact]
    public void Recording_removes_the_temporary_file_a_killed_writer_left_and_keeps_a_live_writers()
    {
        var log = Path.Combine(directory, "r.h2log");
        var stale = Path.Combine(directory, ".r.h2log.999999999.tmp");
        var live = Path.Combine(directory, ".r.h2log.1.tmp");
        File.WriteAllText(stale, "half a log");
        File.WriteAllText(live, "a log being written by process 1");

        Assert.Equal(0, CliRunner.Run("run", Scenario("stuck_in_mutex"), "--kernel", "master", "--record", log, "--json").ExitCode);

        Assert.False(File.Exists(stale), "the dead writer's temporary file is still there");
        Assert.True(File.Exists(live), "a running process's temporary file was removed");
        Assert.Equal(new[] { ".r.h2log.1.tmp", "r.h2log" }, Directory.GetFiles(directory, "*r.h2log*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_node_whose_seed_is_not_there_gives_up_after_the_join_timeout_with_one_line()
    {
        var outcome = CliRunner.Run("node", "--port", "0", "--seed-node", "127.0.0.1:1", "--join-timeout", "2");

        AssertOneLine(outcome, ExitCodes.SimulationFailure, "h2sim: node akka.tcp://h2sim@127.0.0.1:");
        Assert.Contains("was not admitted to the cluster of 127.0.0.1:1 within 2 s (--join-timeout)", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_launcher_whose_cluster_is_not_there_gives_up_after_the_join_timeout_with_one_line()
    {
        var outcome = CliRunner.Run("run", Scenario("stuck_in_mutex"), "--kernel", "master", "--cluster", "127.0.0.1:1", "--join-timeout", "2");

        AssertOneLine(outcome, ExitCodes.SimulationFailure, "h2sim: run failed: could not join the cluster within 2s");
    }

    [Fact]
    public void A_port_in_use_is_one_line_and_exit_2()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;

        AssertOneLine(CliRunner.Run("node", "--port", $"{port}"), ExitCodes.UsageError, $"h2sim: cannot listen on 127.0.0.1:{port}: Address already in use");
    }

    private static void AssertOneLine(CliOutcome outcome, int exitCode, string prefix)
    {
        var line = Assert.Single(Lines(outcome.Stderr));
        Assert.True(outcome.ExitCode == exitCode, $"exit {outcome.ExitCode}, expected {exitCode}: {outcome.Stderr}");
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Stderr, StringComparison.Ordinal);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string Scenario(string name) => Path.Combine(ScenarioTestSupport.SuiteDirectory, name + ".yaml");

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
