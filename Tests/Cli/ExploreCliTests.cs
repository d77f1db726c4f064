using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// `explore` end to end: strategies and the fault dimension by option, the coverage report in text
/// and JSON (with the kill × target-state matrix showing R2's precondition), a directory explored
/// as a matrix in the suite's format, and bad values rejected as input errors.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ExploreCliTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-explore-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Race(string name) => Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "races", name + ".yaml");

    [Fact]
    public void Pct_without_faults_finds_r2_and_the_coverage_shows_the_kill_ipi_reaching_a_spinning_hthread()
    {
        var output = Path.Combine(directory, "found");
        var explore = CliRunner.Run("explore", Race("r2_killed_blocker_escapes_gate"), "--kernel", "master", "--bug", "vmwork-gate-needs-ie", "--strategy", "pct", "--runs", "60", "--out", output, "--json");

        Assert.Equal(ExitCodes.SimulationFailure, explore.ExitCode);
        using var json = JsonDocument.Parse(explore.Stdout);
        var root = json.RootElement;
        Assert.Equal("none", root.GetProperty("faults").GetString());
        Assert.InRange(root.GetProperty("runsToFirstFailure").GetInt32(), 1, 60);
        var failure = Assert.Single(root.GetProperty("failures").EnumerateArray());
        Assert.True(failure.GetProperty("replayReproduces").GetBoolean());
        Assert.Contains("guest timing", failure.GetProperty("needs").GetString(), StringComparison.Ordinal);

        // R2's precondition (h2-domain.md §8 R2): kill_thread_locked finds the blocker RUNNING and sends a
        // VM IPI, which arrives while the blocker's hthread spins on the BKL for its futex_wait.
        var kills = root.GetProperty("coverage").GetProperty("killTargetState");
        Assert.Contains("kill blocker", kills.GetProperty("rows").EnumerateArray().Select(r => r.GetString()));
        var interrupts = root.GetProperty("coverage").GetProperty("interruptState");
        var rows = interrupts.GetProperty("rows").EnumerateArray().Select(r => r.GetString()).ToList();
        var columns = interrupts.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
        var kill = rows.IndexOf("KILL (VM IPI)");
        Assert.True(kill >= 0, string.Join(", ", rows));
        Assert.True(interrupts.GetProperty("runs")[kill][columns.IndexOf("spinning in kernel")].GetInt32() > 0);
        Assert.Equal(60, root.GetProperty("coverage").GetProperty("curve").GetArrayLength());
    }

    [Fact]
    public void The_coverage_report_prints_its_sections_and_the_page_is_written()
    {
        var report = Path.Combine(directory, "report");
        var explore = CliRunner.Run("explore", Race("r2_killed_blocker_escapes_gate"), "--kernel", "master", "--strategy", "coverage", "--runs", "30", "--coverage", "--report", report, "--out", Path.Combine(directory, "out"));

        Assert.Equal(ExitCodes.Success, explore.ExitCode);
        foreach (var section in new[] { "contested choice points", "race pairs", "kill × target state", "interrupt × state at arrival", "coverage against runs: 1:" })
        {
            Assert.Contains(section, explore.Stdout, StringComparison.Ordinal);
        }

        var page = File.ReadAllText(Path.Combine(report, "explore_report.html"));
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        Assert.Contains("target state", page, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "explore_results.json")));
        Assert.Equal(30, json.RootElement.GetProperty("runs").GetInt32());
    }

    [Fact]
    public void A_directory_is_explored_as_a_matrix_of_tests_and_kernels_in_the_suites_format()
    {
        var scenarios = Directory.CreateDirectory(Path.Combine(directory, "two")).FullName;
        File.Copy(Path.Combine(ScenarioTestSupport.SuiteDirectory, "join_basic.yaml"), Path.Combine(scenarios, "join_basic.yaml"));
        File.Copy(Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml"), Path.Combine(scenarios, "stuck_in_mutex.yaml"));
        var report = Path.Combine(directory, "matrix");

        var explore = CliRunner.Run("explore", scenarios, "--kernel", "all", "--runs", "3", "--report", report, "--out", Path.Combine(directory, "found"));

        // stuck_in_mutex hangs on base on every run ([B] has no VM-wide reaper, docs/designs.md).
        Assert.Equal(ExitCodes.SimulationFailure, explore.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "explore_results.json")));
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        // Two tests × the four kernels of --kernel all (base, pr39, master, review).
        Assert.Equal(8, results.Count);
        Assert.Equal(["base", "pr39", "master", "review"], results.Select(r => r.GetProperty("kernel").GetString()).Distinct());
        var stuckBase = results.Single(r => r.GetProperty("test").GetString() == "stuck_in_mutex" && r.GetProperty("kernel").GetString() == "base");
        Assert.Equal("FAILURES FOUND", stuckBase.GetProperty("verdict").GetString());
        Assert.Equal(1, stuckBase.GetProperty("runsToFirstFailure").GetInt32());
        Assert.All(results.Where(r => r.GetProperty("test").GetString() == "join_basic"), r => Assert.Equal("NONE FOUND", r.GetProperty("verdict").GetString()));
        var page = File.ReadAllText(Path.Combine(report, "explore_report.html"));
        Assert.Contains("id=\"stuck_in_mutex.base\"", page, StringComparison.Ordinal);
        Assert.Contains("stuck_in_mutex", explore.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_on_a_matrix_of_all_kernels_reaches_the_review_cells_and_their_commands_only()
    {
        var scenarios = Directory.CreateDirectory(Path.Combine(directory, "one")).FullName;
        File.Copy(Path.Combine(ScenarioTestSupport.SuiteDirectory, "join_basic.yaml"), Path.Combine(scenarios, "join_basic.yaml"));

        var explore = CliRunner.Run("explore", scenarios, "--kernel", "all", "--policy", "on-empty=auto-free", "--runs", "2", "--out", Path.Combine(directory, "policy"), "--json");

        Assert.Equal(ExitCodes.Success, explore.ExitCode);
        using var json = JsonDocument.Parse(explore.Stdout);
        var commands = json.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("kernel").GetString()!, r => r.GetProperty("command").GetString()!);
        Assert.EndsWith("--policy on-empty=auto-free", commands["review"], StringComparison.Ordinal);
        Assert.All(new[] { "base", "pr39", "master" }, k => Assert.DoesNotContain("--policy", commands[k], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--strategy", "dfs")]
    [InlineData("--faults", "no-such-plan.conf")]
    [InlineData("--guest-jitter", "150")]
    [InlineData("--bound", "0")]
    public void Bad_explore_values_are_input_errors_on_one_line(string option, string value)
    {
        var outcome = CliRunner.Run("explore", Race("two_threads_contend"), "--kernel", "master", option, value, "--out", Path.Combine(directory, "x"));

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Single(outcome.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", outcome.Stderr, StringComparison.Ordinal);
    }
}
