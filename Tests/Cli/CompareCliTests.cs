using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// `h2sim compare` end to end on a small directory (two tests, two designs, one scaling point):
/// the page and its JSON are written and agree, every linked log exists, and bad designs, sizes
/// or a global --policy are input errors (exit 2, one line).
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class CompareCliTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "h2sim-compare-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Compare_writes_a_page_and_json_whose_cells_and_links_agree()
    {
        var scenarios = Path.Combine(root, "in");
        Directory.CreateDirectory(scenarios);
        foreach (var name in new[] { "stuck_in_mutex", "pthread_workers_return" })
        {
            File.Copy(Path.Combine(ScenarioTestSupport.SuiteDirectory, name + ".yaml"), Path.Combine(scenarios, name + ".yaml"));
        }

        var outDir = Path.Combine(root, "out");
        var outcome = CliRunner.Run("compare", scenarios, "--design", "pr39", "--design", "review:on-empty=auto-free", "--runs", "3", "--storms", "0", "--scaling", "8", "--scaling-runs", "1", "--out", outDir);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "compare.json")));
        var cells = json.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(4, cells.Count);
        Assert.Equal("HANG", cells.Single(c => c.GetProperty("scenario").GetString() == "pthread_workers_return" && c.GetProperty("design").GetString() == "pr39").GetProperty("verdict").GetString());
        Assert.Equal("PASS", cells.Single(c => c.GetProperty("scenario").GetString() == "pthread_workers_return" && c.GetProperty("design").GetString() == "review:on-empty=auto-free").GetProperty("verdict").GetString());
        var logs = cells.SelectMany(c => c.GetProperty("failures").EnumerateArray()).Select(f => f.GetProperty("log").GetString()!).ToList();
        Assert.NotEmpty(logs);
        Assert.All(logs, log => Assert.True(File.Exists(Path.Combine(outDir, log)), log));
        var html = File.ReadAllText(Path.Combine(outDir, "compare.html"));
        Assert.All(logs, log => Assert.Contains($"href=\"{log}\"", html, StringComparison.Ordinal));
        Assert.Contains("--policy on-empty=auto-free", cells[1].GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.Contains(" run " + Path.Combine(scenarios, "pthread_workers_return.yaml") + " --kernel pr39", cells[0].GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "scenarios", "scaling_8.yaml")));
        Assert.Contains("wrote " + Path.Combine(outDir, "compare.html"), outcome.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compare --design master:on-empty=auto-free", "review kernel only")]
    [InlineData("compare --design review:on-empty=never", "unknown value 'never'")]
    [InlineData("compare --design master --design master", "given twice")]
    [InlineData("compare --scaling 7", "--scaling")]
    [InlineData("compare --runs 0", "--runs")]
    [InlineData("compare --policy on-empty=auto-free", "--design review:on-empty=auto-free")]
    [InlineData("run scenarios/h2-pthread/stuck_in_mutex.yaml --kernel master --policy on-empty=auto-free", "review kernel only")]
    [InlineData("run scenarios/h2-pthread/stuck_in_mutex.yaml --kernel review --policy on-empty=sometimes", "unknown value 'sometimes'")]
    [InlineData("run scenarios/h2-pthread/stuck_in_mutex.yaml --kernel review --policy eager=yes", "unknown policy 'eager'")]
    [InlineData("suite --kernel review --policy refuse-create", "NAME=VALUE")]
    public void Bad_designs_sizes_and_policies_are_one_line_and_exit_2(string commandLine, string expected)
    {
        var args = commandLine.Split(' ').Select(a => a.StartsWith("scenarios/", StringComparison.Ordinal) ? Path.Combine(ScenarioTestSupport.RepositoryRoot, a) : a).ToArray();

        var outcome = CliRunner.Run(args[0] == "compare" ? [.. args, "--out", Path.Combine(root, "never")] : args);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("h2sim: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "never")));
    }
}
