using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// <see cref="IScenarioExplorer"/> over the exploration library (docs/exploration.md): one
/// <see cref="ExploreSession"/> per cell with the given strategy, message faults off (correct
/// hardware: only choice points and guest timing are searched), the library's default guest-timing
/// bound, and the scenario reducer for minimisation — what `h2sim explore --faults none` runs.
/// </summary>
public sealed class StrategyScenarioExplorer(ExploreStrategy strategy) : IScenarioExplorer
{
    public IReadOnlyList<ExplorationFinding> Explore(Scenario scenario, ScenarioRunOptions options, ulong seed, int runs, string outputDirectory)
    {
        var definition = scenario.Build(options.Params, options.Costs);
        var settings = new ExploreSettings(strategy, seed) { Faults = FaultMode.None };
        var session = new ExploreSession(definition, ScenarioRunner.Spec(scenario, options), settings, Resolve, new ScenarioReducer());
        var result = session.Run(runs, budget: null, outputDirectory);
        return result.Failures.Select(f => new ExplorationFinding(f.Signature, f.Kind, f.Log!, f.Summary, f.Needs, f.ReplayVerified == true)).ToList();
    }

    private static ScenarioModelFactory Resolve(Protocol.Model.ModelSpec spec) => new(new ScenarioModelFactory().Definition(spec));
}
