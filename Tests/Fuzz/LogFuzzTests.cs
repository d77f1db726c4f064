using CsCheck;
using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.Tests.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Fuzz;

/// <summary>
/// Damaged and truncated logs: reading one that is not byte-identical to what was recorded is
/// always an input error (the seal covers every byte), so replay and minimize never call a
/// damaged log "verified" or "diverged".
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class LogFuzzTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-logfuzz-").FullName;
    private readonly byte[][] logs;

    public LogFuzzTests()
    {
        logs = new[] { "stuck_in_mutex", "exit_vs_futex_block", "join_basic" }.Select(Record).ToArray();
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_damaged_or_truncated_log_is_never_read_as_a_log()
    {
        var path = Path.Combine(directory, "damaged-read.h2log");
        Gen.Select(Gen.Int[0, 2], Mutation.Edits).Sample(
            (which, edits) =>
            {
                var damaged = Mutation.Apply(logs[which], edits, Mutation.LogTokens);
                if (damaged.AsSpan().SequenceEqual(logs[which]))
                {
                    return;
                }

                File.WriteAllBytes(path, damaged);
                var error = Assert.ThrowsAny<InputException>(() => Bounded.Run(() => RunLog.Read(path), "reading a damaged log"));
                Assert.StartsWith(damaged.Length == 0 ? path : "damaged log: ", error.Message, StringComparison.Ordinal);
            },
            iter: 2_000,
            threads: 1);
    }

    [Fact]
    public void Replay_and_minimize_of_a_damaged_log_exit_2_never_verified_or_diverged()
    {
        var path = Path.Combine(directory, "damaged-cli.h2log");
        Gen.Select(Gen.Int[0, 2], Mutation.Edits, Gen.Bool).Sample(
            (which, edits, minimize) =>
            {
                var damaged = Mutation.Apply(logs[which], edits, Mutation.LogTokens);
                if (damaged.AsSpan().SequenceEqual(logs[which]))
                {
                    return;
                }

                File.WriteAllBytes(path, damaged);
                var outcome = Bounded.Run(
                    () => minimize
                        ? CliRunner.Run("minimize", path, "-o", Path.Combine(directory, "min.h2log"), "--json", "--timeout", "20")
                        : CliRunner.Run("replay", path, "--verify", "--json", "--timeout", "20"),
                    "replaying a damaged log");

                Assert.Equal(2, outcome.ExitCode);
                Assert.Equal(string.Empty, outcome.Stdout);
                CliProperties.AssertTotal(outcome, null);
            },
            iter: 60,
            threads: 1);
    }

    private byte[] Record(string scenario)
    {
        var path = Path.Combine(directory, scenario + ".h2log");
        var outcome = CliRunner.Run("run", Path.Combine(ScenarioTestSupport.SuiteDirectory, scenario + ".yaml"), "--kernel", "master", "--record", path, "--json");
        Assert.True(outcome.ExitCode is 0 or 1, outcome.Stderr);
        return File.ReadAllBytes(path);
    }
}
