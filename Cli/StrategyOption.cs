using System.CommandLine;
using H2Sim.HwThreadActors.Explore;

namespace H2Sim.Cli;

/// <summary>`--strategy NAME` (explore, compare): parsed here into an <see cref="ExploreStrategy"/>.</summary>
public static class StrategyOption
{
    public static Option<ExploreStrategy> Create(string description) =>
        CliParsers.Named("--strategy", description, ExploreStrategies.Default, ExploreStrategies.TryParse, $"one of {ExploreStrategies.Names}");
}
