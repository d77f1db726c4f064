using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using H2Sim.Cli;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Tests.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Fuzz;

/// <summary>
/// Mutated scenario files — the 38 upstream tests, the cluster example and generated storms, with
/// bits flipped, bytes cut, copied and replaced by tokens that once broke the loader. Loading one
/// either gives a scenario or a <see cref="ScenarioException"/> naming the file and a line; running
/// one through the CLI exits 0, 1 or 2 with no internal error, an input error is one line with
/// FILE:LINE, and no case outlives its wall bound. The longer campaign is fuzz/campaign.py.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class ScenarioFuzzTests : IDisposable
{
    private static readonly byte[][] Seeds = SeedFiles();
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-fuzz-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_mutated_scenario_loads_or_is_an_error_with_the_file_and_a_line()
    {
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Mutation.Edits).Sample(
            (seed, edits) =>
            {
                var text = new UTF8Encoding(false).GetString(Mutation.Apply(Seeds[seed], edits, Mutation.ScenarioTokens));
                try
                {
                    Bounded.Run(() => ScenarioLoader.Load(text, "mutant.yaml"), "loading a mutant");
                }
                catch (ScenarioException e)
                {
                    Assert.Matches(@"^mutant\.yaml:\d+: \S", e.Message);
                }
            },
            iter: 3_000);
    }

    [Fact]
    public void A_mutated_scenario_run_by_the_cli_exits_0_1_or_2_and_an_input_error_names_file_and_line()
    {
        var path = Path.Combine(directory, "mutant.yaml");
        var log = Path.Combine(directory, "mutant.h2log");
        Gen.Select(Gen.Int[0, Seeds.Length - 1], Mutation.Edits, Gen.OneOf("base", "pr39", "master")).Sample(
            (seed, edits, kernel) =>
            {
                File.WriteAllBytes(path, Mutation.Apply(Seeds[seed], edits, Mutation.ScenarioTokens));

                // In process (--record): the same loader and model as the Akka engine, faster.
                var outcome = Bounded.Run(() => CliRunner.Run("run", path, "--kernel", kernel, "--record", log, "--json", "--timeout", "20"), "running a mutant");

                CliProperties.AssertTotal(outcome, "mutant.yaml");
            },
            iter: 60,
            threads: 1);
    }

    private static byte[][] SeedFiles()
    {
        var files = Directory.GetFiles(ScenarioTestSupport.SuiteDirectory, "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "cluster"), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes);
        var storm = StormGenerator.Generate(new StormGenerator.Options(3, 3, 4, 0.5, 0.5, 1)).Text;
        return [.. files, Encoding.UTF8.GetBytes(storm)];
    }
}

/// <summary>What every CLI outcome must be, whatever the input.</summary>
public static class CliProperties
{
    /// <summary>Input errors about a file as a whole, which have no line to name.</summary>
    private static readonly string[] WholeFileErrors = ["empty or not a regular file", "larger than a", "no h2sim.faults section", "--param ", "not found"];

    /// <param name="inputFile">The file name an input error must name with a line (null: any input error).</param>
    public static void AssertTotal(CliOutcome outcome, string? inputFile)
    {
        Assert.True(outcome.ExitCode is 0 or 1 or 2, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        Assert.DoesNotContain("internal error", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at \S", outcome.Stderr);
        if (outcome.ExitCode != 2)
        {
            return;
        }

        var line = Assert.Single(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("h2sim: ", line, StringComparison.Ordinal);
        if (inputFile is not null && !WholeFileErrors.Any(e => line.Contains(e, StringComparison.Ordinal)))
        {
            Assert.Matches(Regex.Escape(inputFile) + @":\d+: ", line);
        }
    }
}
