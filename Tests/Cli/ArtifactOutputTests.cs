using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Cluster.Artifacts;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// Where artifacts go: every output path is checked before any work (a directory where a file is
/// wanted, a file where a directory is wanted, a path under a file: exit 2, one line, nothing
/// run); a file is written whole or not at all; `--timeline out/x.html` writes out/x.html and its
/// Chrome trace out/x.json; every verb says what it wrote.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ArtifactOutputTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-out-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Scenario(string name) => Path.Combine(ScenarioTestSupport.SuiteDirectory, name + ".yaml");

    private string AFile()
    {
        var file = Path.Combine(directory, "a-file");
        File.WriteAllText(file, "not a directory");
        return file;
    }

    [Fact]
    public void Every_bad_output_path_is_an_input_error_before_anything_runs()
    {
        var file = AFile();
        var cases = new[]
        {
            (new[] { "gen", "storm", "-o", directory }, "-o"),
            (["suite", ScenarioTestSupport.SuiteDirectory, "--report", file], "--report"),
            (["suite", ScenarioTestSupport.SuiteDirectory, "--junit", directory], "--junit"),
            (["suite", ScenarioTestSupport.SuiteDirectory, "--record", file], "--record"),
            (["run", Scenario("join_basic"), "--kernel", "master", "--timeline", Path.Combine(file, "t")], "--timeline"),
            (["run", Scenario("join_basic"), "--kernel", "master", "--record", Path.Combine(file, "t.h2log")], "--record"),
            (["explore", Scenario("join_basic"), "--kernel", "master", "--runs", "5", "--out", file], "--out"),
        };

        foreach (var (args, option) in cases)
        {
            var outcome = CliRunner.Run(args);

            Assert.True(outcome.ExitCode == ExitCodes.UsageError, $"{string.Join(' ', args)}: exit {outcome.ExitCode}, {outcome.Stderr}");
            Assert.Equal(string.Empty, outcome.Stdout);
            var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"h2sim: {option} ", line, StringComparison.Ordinal);
        }

        Assert.Equal(["a-file"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_leaves_the_previous_file_whole_and_no_temporary_behind()
    {
        var path = Path.Combine(directory, "report.json");
        ArtifactFile.WriteText(path, "{\"complete\": true}");

        Assert.Throws<InvalidOperationException>(() => ArtifactFile.Write(path, stream =>
        {
            stream.Write("{\"half"u8);
            throw new InvalidOperationException("interrupted");
        }));

        Assert.Equal("{\"complete\": true}", File.ReadAllText(path));
        Assert.Equal(["report.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_timeline_named_with_html_writes_that_page_and_its_chrome_trace_beside_it_and_says_so()
    {
        var page = Path.Combine(directory, "out", "x.html");

        var outcome = CliRunner.Run("run", Scenario("join_basic"), "--kernel", "master", "--timeline", page);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.True(File.Exists(page));
        var trace = Path.Combine(directory, "out", "x.json");
        using (var json = JsonDocument.Parse(File.ReadAllText(trace)))
        {
            Assert.Equal("ns", json.RootElement.GetProperty("displayTimeUnit").GetString());
        }

        Assert.False(File.Exists(page + ".html"));
        Assert.Contains($"wrote {page} (timeline page", outcome.Stdout, StringComparison.Ordinal);
        Assert.Contains($"wrote {trace} (Chrome trace", outcome.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Gen_writes_the_storm_scenario_and_it_loads()
    {
        var file = Path.Combine(directory, "storm.yaml");

        var outcome = CliRunner.Run("gen", "storm", "--clusters", "2", "--vms-per-cluster", "2", "--threads", "4", "-o", file);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.StartsWith($"wrote {file}", outcome.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, H2Sim.HwThreadActors.Scenarios.ScenarioLoader.LoadFile(file).Vms.Count);
    }
}
