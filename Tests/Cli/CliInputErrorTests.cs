using H2Sim.Cli;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>Bad input: one line on stderr, exit code 2, no stack trace, nothing on stdout.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class CliInputErrorTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("bench frobnicate")]
    [InlineData("bench phold --bogus")]
    [InlineData("--bogus bench phold")]
    [InlineData("run nope.hocon")]
    [InlineData("run")]
    [InlineData("bench")]
    [InlineData("--json")]
    [InlineData("bench phold --events -5")]
    [InlineData("bench phold --events abc")]
    [InlineData("bench phold --events 0")]
    [InlineData("bench phold --events")]
    [InlineData("bench phold --lps 0")]
    [InlineData("bench phold --lps 17")]
    [InlineData("bench phold --lps -16")]
    [InlineData("bench phold --lps 99999999999")]
    [InlineData("--partitions 0 bench phold")]
    [InlineData("bench phold --partitions 0")]
    [InlineData("bench phold --partitions two")]
    [InlineData("bench phold --partitions 5000")]
    [InlineData("bench phold --remote 2")]
    [InlineData("bench phold --remote -0.5")]
    [InlineData("bench phold --remote abc")]
    [InlineData("bench phold --seed -1")]
    [InlineData("bench phold --horizon soon")]
    [InlineData("bench phold --warmup-events -1")]
    [InlineData("bench naive --events -5")]
    [InlineData("bench naive --partitions 2")]
    [InlineData("bench naive --horizon 100")]
    [InlineData("bench compare --partitions 1")]
    [InlineData("bench compare --rounds 0")]
    [InlineData("bench compare --horizon 100")]
    public void Bad_input_is_one_line_on_stderr_and_exit_code_2(string commandLine)
    {
        foreach (var args in new[] { Split(commandLine), [.. Split(commandLine), "--json"] })
        {
            var outcome = CliRunner.Run(args);

            Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
            Assert.Equal(string.Empty, outcome.Stdout);
            var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("h2sim: ", line);
            Assert.DoesNotContain("   at ", line);
            Assert.DoesNotContain("Exception", line);
        }
    }

    [Theory]
    [InlineData("suite")]
    [InlineData("run")]
    [InlineData("log")]
    [InlineData("explore")]
    public void An_empty_argument_is_a_usage_error_not_a_crash(string verb)
    {
        var outcome = CliRunner.Run(verb, string.Empty, "--timeout", "10");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Equal("h2sim: argument 2 is empty (\"\"): give a file, a value or an option there", Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("frobnicate", "'frobnicate'")]
    [InlineData("bench phold --bogus", "'--bogus'")]
    [InlineData("run nope.hocon", "nope.hocon")]
    [InlineData("bench phold --events -5", "--events")]
    [InlineData("bench phold --events abc", "'abc'")]
    [InlineData("bench phold --lps 0", "--lps")]
    [InlineData("bench phold --partitions 0", "--partitions")]
    [InlineData("bench phold --remote 2", "--remote")]
    public void The_error_names_what_was_wrong(string commandLine, string expected)
    {
        Assert.Contains(expected, CliRunner.Run(Split(commandLine)).Stderr);
    }

    [Fact]
    public void Help_is_not_an_error()
    {
        var outcome = CliRunner.Run("--help");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("bench", outcome.Stdout);
        Assert.Equal(string.Empty, outcome.Stderr);
    }

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
