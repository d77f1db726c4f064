using CsCheck;
using H2Sim.Cli;
using H2Sim.Cluster.Faults;
using H2Sim.Core.Input;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Fuzz;

/// <summary>
/// Mutated fault plans: reading one gives a plan or an input error naming the file (and its line
/// where it has one) — never another exception, never a parser that does not return.
/// </summary>
public sealed class FaultPlanFuzzTests : IDisposable
{
    private const string FullPlan = "h2sim.faults {\n  cost-jitter-percent = 2\n  bkl-seed = 7\n  rules = [\n    { kind = \"*\", action = delay, probability = 0.5, delay-min = 10, delay-max = 20, source = -1, target = -1, from = 0, to = 0 }\n    { kind = KILL, action = drop, ids = [\"5:1\"] }\n  ]\n}\n";

    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-planfuzz-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_mutated_fault_plan_loads_or_is_an_input_error_naming_the_file()
    {
        var hocon = Path.Combine(ScenarioTestSupport.RepositoryRoot, "hocon", "faults");
        byte[][] seeds = [.. Directory.GetFiles(hocon, "*.conf").Order(StringComparer.Ordinal).Select(File.ReadAllBytes), global::System.Text.Encoding.UTF8.GetBytes(FullPlan)];
        var path = Path.Combine(directory, "mutant.conf");
        Gen.Select(Gen.Int[0, seeds.Length - 1], Mutation.Edits).Sample(
            (seed, edits) =>
            {
                File.WriteAllBytes(path, Mutation.Apply(seeds[seed], edits, Mutation.PlanTokens));
                try
                {
                    Bounded.Run(() => FaultPlanFile.Load(path), "loading a mutated plan");
                }
                catch (Exception e) when (e is UsageException or InputException)
                {
                    Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
                }
            },
            iter: 2_000,
            threads: 1);
    }
}
