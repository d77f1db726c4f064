using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// What a new user meets first: bare `h2sim` shows the verbs, a mistyped option or verb gets
/// System.CommandLine's "did you mean", a mistyped scenario operation gets the closest one, a
/// directory given to `run` points at `suite`, and redirected output is never wrapped at 80 columns.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class FirstContactTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-first-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Bare_h2sim_prints_the_help_with_every_verb()
    {
        var outcome = CliRunner.Run();

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        foreach (var verb in new[] { "run", "suite", "sweep", "replay", "log", "minimize", "explore", "gen", "node", "bench" })
        {
            Assert.Contains($"  {verb} ", outcome.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, outcome.Stderr);
    }

    [Theory]
    [InlineData("run x.yaml --kernal base", "'--kernal'", "did you mean '--kernel'?", "h2sim run --help")]
    [InlineData("suit", "'suit'", "did you mean 'suite'?", "h2sim --help")]
    [InlineData("replay x.h2log --dorp 1:2", "'--dorp'", "did you mean '--drop'?", "h2sim replay --help")]
    public void A_mistyped_option_or_verb_gets_system_commandlines_suggestion_in_one_line(string commandLine, string named, string suggestion, string help)
    {
        var outcome = CliRunner.Run(commandLine.Split(' '));

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Contains(suggestion, line, StringComparison.Ordinal);
        Assert.Contains(help, line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistyped_scenario_operation_gets_the_closest_instead_of_the_whole_list()
    {
        var file = Path.Combine(directory, "typo.yaml");
        File.WriteAllText(file, """
            scenario: typo
            vms:
              - name: test
                objects:
                  s: sem
                threads:
                  main:
                    - sem_postt: s
                    - return: 0
            """);

        var outcome = CliRunner.Run("run", file, "--kernel", "master");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown operation 'sem_postt': did you mean 'sem_post'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("mutex_lock", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_on_a_directory_suggests_suite()
    {
        var outcome = CliRunner.Run("run", ScenarioTestSupport.SuiteDirectory, "--kernel", "master");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains($"suite {ScenarioTestSupport.SuiteDirectory}", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirected_output_keeps_a_long_diagnosis_on_one_line()
    {
        var outcome = CliRunner.Run("run", Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml"), "--kernel", "base");

        Assert.Equal(ExitCodes.SimulationFailure, outcome.ExitCode);
        var verdict = Assert.Single(outcome.Stdout.Split('\n'), l => l.TrimStart().StartsWith("verdict:", StringComparison.Ordinal));
        Assert.True(verdict.Length > 200, verdict);
        Assert.EndsWith("no thread of VM 2 is left that could do it)", verdict.TrimEnd('\r'), StringComparison.Ordinal);
        Assert.Contains(outcome.Stdout.Split('\n'), l => l.Contains("FUTEX_UNLOCK_PI by the owner 2:30 (BLOCKED); no thread of VM 2 is left that could do it", StringComparison.Ordinal) && l.Contains('│'));
    }
}
