using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// What `h2sim compare` needs of exploration: run a scenario on one design a given number of times
/// (the budget is a plain run count, the same for every cell), save each distinct failure
/// minimised as a replayable log in a folder, and say what was found. The strategy behind it is
/// the explorer's business (<see cref="StrategyScenarioExplorer"/> adapts the exploration library's).
/// </summary>
public interface IScenarioExplorer
{
    IReadOnlyList<ExplorationFinding> Explore(Scenario scenario, ScenarioRunOptions options, ulong seed, int runs, string outputDirectory);
}

/// <summary>
/// One distinct failure exploration found: its signature, outcome kind, the minimised log, a
/// one-line summary, what the minimised run still needs (guest timing, forced choices, message
/// faults), and whether its saved log replayed to the same failure.
/// </summary>
public sealed record ExplorationFinding(string Signature, string Kind, string Log, string Summary, string Needs, bool ReplayVerified);
