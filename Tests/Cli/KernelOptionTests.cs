using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// `--kernel` is parsed once, at the command line, into a design: a name that is none is a usage
/// error there, and every output names the design as it was written (base, pr39, master, review).
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class KernelOptionTests
{
    private static readonly string MutexTest = Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml");

    [Theory]
    [InlineData("linux", "--kernel must be base, pr39, master, review, got 'linux'")]
    [InlineData("all", "--kernel must be base, pr39, master, review, got 'all'")]
    [InlineData("Master", "got 'Master'")]
    public void Run_refuses_a_name_that_is_not_one_design(string kernel, string expected)
    {
        var outcome = CliRunner.Run("run", MutexTest, "--kernel", kernel);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains(expected, Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void Suite_offers_all_besides_the_four_designs()
    {
        var outcome = CliRunner.Run("suite", ScenarioTestSupport.SuiteDirectory, "--kernel", "linux");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("--kernel must be base, pr39, master, review or all, got 'linux'", outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pr39")]
    [InlineData("review")]
    public void A_run_reports_the_design_by_the_name_it_was_given(string kernel)
    {
        var outcome = CliRunner.Run("run", MutexTest, "--kernel", kernel, "--json");

        using var json = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(kernel, json.RootElement.GetProperty("kernel").GetString());
    }

    [Fact]
    public void A_suite_on_all_lists_the_four_designs_by_name_in_order()
    {
        var outcome = CliRunner.Run("suite", ScenarioTestSupport.SuiteDirectory, "--kernel", "all", "--json");

        using var json = JsonDocument.Parse(outcome.Stdout);
        var kernels = json.RootElement.GetProperty("kernels").EnumerateObject().Select(k => k.Name).ToList();
        Assert.Equal(["base", "pr39", "master", "review"], kernels);
    }
}
