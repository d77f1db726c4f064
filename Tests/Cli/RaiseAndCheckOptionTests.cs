using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>`--raise` puts a device interrupt into the run's inputs; `--check` changes what is checked, never what happens.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class RaiseAndCheckOptionTests
{
    private static string Scenario(string directory, string name) => Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", directory, name);

    private static string TraceHash(params string[] args)
    {
        var outcome = CliRunner.Run([.. args, "--json"]);
        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Stderr);
        return JsonDocument.Parse(outcome.Stdout).RootElement.GetProperty("traceHash").GetString()!;
    }

    [Fact]
    public void A_raise_flag_changes_the_run_and_replays_the_same()
    {
        var file = Scenario("interrupts", "intpool_raise_during_exit.yaml");

        var without = TraceHash("run", file, "--kernel", "base");
        var with = TraceHash("run", file, "--kernel", "base", "--raise", "0:20@9000");
        var again = TraceHash("run", file, "--kernel", "base", "--raise", "0:20@9000");

        Assert.NotEqual(without, with);
        Assert.Equal(with, again);
    }

    [Fact]
    public void A_raise_on_a_cluster_the_scenario_lacks_is_an_input_error()
    {
        var outcome = CliRunner.Run("run", Scenario("interrupts", "intpool_raise_during_exit.yaml"), "--raise", "3:20@5000");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("a device raise on cluster 3", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Full_checks_after_every_section_give_the_incremental_run()
    {
        var file = Scenario("h2-pthread", "stuck_in_mutex.yaml");

        Assert.Equal(TraceHash("run", file, "--check", "incremental"), TraceHash("run", file, "--check", "full"));
    }
}
