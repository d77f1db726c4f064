using System.Text.Json;
using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Compare;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Compare;

/// <summary>
/// compare's measurements through the small exploration interface: every cell asks the explorer
/// with the same run budget and its own folder, findings land in the cell and in the JSON with
/// paths relative to the output folder, designs parse with their policies, and a design's policies
/// reach its runs.
/// </summary>
public sealed class CompareRunnerTests : IDisposable
{
    private readonly string output = Path.Combine(Path.GetTempPath(), "h2sim-compare-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Says it found one failure in every cell whose design is master, and records each call.</summary>
    private sealed class FakeExplorer : IScenarioExplorer
    {
        public List<(string Scenario, KernelVariant Kernel, int Runs, string Folder)> Calls { get; } = new();

        public IReadOnlyList<ExplorationFinding> Explore(Scenario scenario, ScenarioRunOptions options, ulong seed, int runs, string outputDirectory)
        {
            lock (Calls)
            {
                Calls.Add((scenario.Name, options.Kernel, runs, outputDirectory));
            }

            Directory.CreateDirectory(outputDirectory);
            return options.Kernel == KernelVariant.Master ? [new ExplorationFinding("hang:x", "hang", Path.Combine(outputDirectory, "failure-01.h2log"), "made up", "guest timing (1 perturbed step(s))", true)] : [];
        }
    }

    [Fact]
    public void Every_cell_explores_with_the_same_budget_and_its_findings_reach_the_json()
    {
        var explorer = new FakeExplorer();
        var scenarios = new[] { "stuck_in_mutex", "exit1_main_mutex" }.Select(n => ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.SuiteDirectory, n + ".yaml"))).ToList();
        var designs = new[] { "master", "review:on-empty=auto-free" }.Select(CompareDesign.Parse).ToList();
        var setup = new CompareSetup(scenarios, designs, 2, 1, [8], 1, output);

        var result = new CompareRunner(explorer).Run(setup);

        Assert.Equal(4, explorer.Calls.Count);
        Assert.All(explorer.Calls, c => Assert.Equal(2, c.Runs));
        Assert.Equal(4, explorer.Calls.Select(c => c.Folder).Distinct().Count());
        Assert.All(result.Cells, c => Assert.Equal(Verdict.Pass, c.Verdict.Kind));
        Assert.All(result.Cells, c => Assert.Equal(c.Design.Kernel == KernelVariant.Master ? 1 : 0, c.Findings.Count));
        using var json = JsonDocument.Parse(CompareJson.Write(result, (file, design, seed) => $"run {Path.GetFileName(file)} {design.Label} {seed}"));
        var cells = json.RootElement.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(4, cells.Count);
        var log = cells.First(c => c.GetProperty("design").GetString() == "master").GetProperty("failures")[0].GetProperty("log").GetString();
        Assert.Equal("logs/master/stuck_in_mutex/failure-01.h2log", log);
        Assert.Equal(2, json.RootElement.GetProperty("scaling").GetArrayLength());
    }

    [Fact]
    public void A_designs_policies_reach_its_runs()
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml"));
        var design = CompareDesign.Parse("review:on-empty=auto-free");

        var spec = ScenarioRunner.Spec(scenario, CompareRunner.Options(design, 1, null));

        Assert.Equal("review", spec.Kernel.Kernel);
        Assert.Equal("auto-free", spec.Kernel.Policies["on-empty"]);
    }

    [Theory]
    [InlineData("master:on-empty=auto-free", "review kernel only")]
    [InlineData("review:on-empty=sometimes", "unknown value 'sometimes'")]
    [InlineData("review:refuse-create", "expected NAME=VALUE")]
    [InlineData("linux", "unknown kernel 'linux'")]
    public void A_bad_design_names_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<InputException>(() => CompareDesign.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
