using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Cluster.Engine;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// The 38 upstream H2 pthread tests (h2-domain.md §11) as scenario files, the suite over the
/// four kernels and its report files. Verdicts are never listed here: the tests check that the
/// suite judged what each run did, and a few behaviours the domain reference states.
/// </summary>
public sealed class UpstreamSuiteTests
{
    private static readonly Lazy<SuiteResult> Suite = new(() =>
        SuiteRunner.Run(SuiteRunner.LoadDirectory(ScenarioTestSupport.SuiteDirectory), [KernelVariant.Base, KernelVariant.Pr39, KernelVariant.Master, KernelVariant.Review], k => new ScenarioRunOptions(k)));

    [Fact]
    public void The_directory_holds_the_38_tests_named_as_upstream()
    {
        var scenarios = SuiteRunner.LoadDirectory(ScenarioTestSupport.SuiteDirectory);

        Assert.Equal(38, scenarios.Count);
        Assert.All(scenarios, s => Assert.Equal(Path.GetFileNameWithoutExtension(s.File), s.Name));
        Assert.All(scenarios, s => Assert.Contains("main", s.Vms.Single().Threads.Keys));
        Assert.Equal(4, scenarios.Count(s => s.Name.StartsWith("exit1_", StringComparison.Ordinal) && s.Vms.Single().ExpectStatus == 1));
        Assert.Equal(10, scenarios.Count(s => s.Name.StartsWith("stuck_in_", StringComparison.Ordinal)));
        Assert.Equal(10, scenarios.Count(s => s.Name.StartsWith("neg_", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_suite_judges_every_test_on_every_kernel_from_its_run()
    {
        var suite = Suite.Value;

        Assert.Equal(152, suite.Entries.Count);
        foreach (var entry in suite.Entries)
        {
            Assert.Equal(Verdict.Judge(entry.Run.Scenario, entry.Run.Report), entry.Verdict);
            var printedPass = entry.Run.Report.Printed.Contains("test: TEST PASSED");
            Assert.True(!entry.Verdict.Passed || (printedPass && entry.Run.Report.OutcomeKind == "exit"), $"{entry.Test}/{entry.Kernel}");
            if (entry.Verdict.Kind == Verdict.Hang)
            {
                Assert.NotEmpty(entry.Run.Report.Stranded);
            }
        }
    }

    [Fact]
    public void Base_leaves_the_stuck_threads_of_stuck_in_mutex_stranded_and_the_reapers_drain_it()
    {
        var suite = Suite.Value;

        var onBase = suite.At("stuck_in_mutex", KernelVariant.Base);
        Assert.Equal(Verdict.Hang, onBase.Verdict.Kind);
        Assert.Contains(onBase.Run.Report.Stranded, s => s.WaitsOn.Contains("lock_pi", StringComparison.Ordinal) && s.WaitsOn.Contains("(m)", StringComparison.Ordinal));
        Assert.Contains(onBase.Run.Report.Stranded, s => s.WaitsOn.Contains("holder_park", StringComparison.Ordinal));
        Assert.Equal(Verdict.Pass, suite.At("stuck_in_mutex", KernelVariant.Pr39).Verdict.Kind);
        Assert.Equal(Verdict.Pass, suite.At("stuck_in_mutex", KernelVariant.Master).Verdict.Kind);
    }

    [Fact]
    public void Base_exit_1_ends_the_simulation_through_angel_before_the_booter_sees_a_status()
    {
        var entry = Suite.Value.At("exit1_main_mutex", KernelVariant.Base);

        Assert.Equal("angel-exit", entry.Run.Report.OutcomeKind);
        Assert.Equal(Verdict.Fail, entry.Verdict.Kind);
        Assert.Contains("test: TEST PASSED", entry.Run.Report.Printed);
    }

    [Fact]
    public void The_report_files_hold_every_result_and_a_self_contained_matrix()
    {
        var suite = Suite.Value;

        var info = new SuiteRunInfo("h2-pthread", "scenarios/h2-pthread", 1, KernelBug.None, 0);
        using var json = JsonDocument.Parse(SuiteReport.ResultsJson(suite, info));
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(152, results.Count);
        Assert.All(results, r => Assert.Equal(["test", "kernel", "verdict", "detail", "seed", "bugs", "traceHash", "h2simVersion", "command"], r.EnumerateObject().Select(p => p.Name)));
        Assert.Contains(results, r => r.GetProperty("test").GetString() == "exit_vs_futex_block" && r.GetProperty("kernel").GetString() == "pr39");

        var html = SuiteReport.Html(suite, info);
        Assert.Equal(152, html.Split("class=\"cell ").Length - 1);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.Contains("\"stranded\"", html, StringComparison.Ordinal);
        Assert.Contains("holder_park", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void A_scenario_gives_the_same_trace_hash_in_process_and_on_the_akka_engine(KernelVariant kernel)
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_join.yaml"));
        var options = new ScenarioRunOptions(kernel, Seed: 3);

        var inProcess = ScenarioRunner.Run(scenario, options);
        var again = ScenarioRunner.Run(scenario, options);
        var akka = AkkaEngine.Run(ScenarioRunner.Spec(scenario, options), 1, TestModels.Catalog);

        Assert.Equal(inProcess.Result.TraceHash, again.Result.TraceHash);
        Assert.Equal(inProcess.Result.TraceHash, akka.TraceHash);
        Assert.Equal(inProcess.Report.OutcomeKind, akka.Report.OutcomeKind);
    }
}
