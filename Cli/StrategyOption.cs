using System.CommandLine;
using H2Sim.HwThreadActors.Explore;

namespace H2Sim.Cli;

/// <summary>`--strategy NAME` (explore, compare): parsed here into an <see cref="ExploreStrategy"/>.</summary>
public static class StrategyOption
{
    public static Option<ExploreStrategy> Create(string description) => new("--strategy")
    {
        Description = description,
        DefaultValueFactory = _ => ExploreStrategies.Default,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!ExploreStrategies.TryParse(text, out var strategy))
            {
                result.AddError($"--strategy must be one of {ExploreStrategies.Names}, got '{text}'");
            }

            return strategy;
        },
    };
}
