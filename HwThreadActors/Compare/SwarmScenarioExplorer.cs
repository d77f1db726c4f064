using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// <see cref="IScenarioExplorer"/> over today's swarm <see cref="Explorer"/> (seeds, drawn fault
/// plans, BKL order, cost jitter), with the scenario reducer for minimisation: the same machinery
/// `h2sim explore` runs.
/// </summary>
public sealed class SwarmScenarioExplorer : IScenarioExplorer
{
    public IReadOnlyList<ExplorationFinding> Explore(Scenario scenario, ScenarioRunOptions options, ulong seed, int runs, string outputDirectory)
    {
        var explorer = new Explorer(spec => new ScenarioModelFactory(new ScenarioModelFactory().Definition(spec)), new ScenarioReducer());
        var result = explorer.Explore(ScenarioRunner.Spec(scenario, options), seed, runs, timeBudget: null, outputDirectory);
        return result.Failures.Select(f => new ExplorationFinding(f.Signature, f.Kind, f.Log, f.Summary, f.FaultsAfter)).ToList();
    }
}
