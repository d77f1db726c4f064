using CsCheck;
using H2Sim.Tests.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Fuzz;

/// <summary>
/// Random argument vectors — verbs, options and values, valid and not — through the entry point
/// the binary uses: every one exits 0, 1 or 2, an input error is one line, nothing is an internal
/// error, and none outlives its wall bound (each carries --timeout).
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class CliArgumentFuzzTests : IDisposable
{
    private static readonly string[] Verbs = ["run", "suite", "sweep", "replay", "minimize", "explore", "gen", "gen storm", "bench", "bench phold", "bench naive", "frobnicate", string.Empty];

    private static readonly string[] Options =
    [
        "--kernel", "--bug", "--param", "--seed", "--partitions", "--horizon", "--json", "--timeout", "--record", "--timeline", "--fault", "--faults",
        "--cost-jitter", "--verify", "--drop", "--delay", "--runs", "--time", "--out", "-o", "--report", "--clusters", "--vms-per-cluster", "--threads",
        "--cross-cluster-parents", "--kill-fraction", "--hthreads", "--lps", "--events", "--remote", "--warmup-events", "--help", "--join-timeout", "--bogus", "--",
    ];

    private static readonly string[] Values =
    [
        "0", "1", "2", "-1", "3", "1000000000", "18446744073709551616", "abc", string.Empty, "base", "pr39", "master", "all", "NaN", "1e400", "x=1",
        "blocker_spins=1..3", "blocker_spins=5..1:0", "KILL:drop", "KILL:drop:2", "*:delay:0.5:10-5", "1:2", "1:2:3", "vmwork-gate-needs-ie",
        "nonsense-bug", "/dev/zero", "/nonexistent/x", "0.5", "64", "65", "100000",
    ];

    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-argfuzz-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Any_argument_vector_exits_0_1_or_2_with_no_internal_error()
    {
        var scenario = Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml");
        var word = Gen.Frequency(
            (5, (IGen<string>)Gen.OneOf(Options)),
            (4, Gen.OneOf(Values)),
            (1, Gen.Const(scenario)),
            (1, Gen.Int[0, 999].Select(i => Path.Combine(directory, $"out{i}"))));
        Gen.Select(Gen.OneOf(Verbs), word.Array[0, 6]).Sample(
            (verb, words) =>
            {
                string[] args = [.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. words, "--timeout", "10"];

                var outcome = Bounded.Run(() => CliRunner.Run(args), string.Join(' ', args));

                CliProperties.AssertTotal(outcome, null);
            },
            iter: 300,
            threads: 1,
            print: t => $"{t.Item1} {string.Join(' ', t.Item2)}");
    }
}
