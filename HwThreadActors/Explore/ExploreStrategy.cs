using H2Sim.Core.Input;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>How an exploration picks its runs (docs/exploration.md, `--strategy`).</summary>
public enum ExploreStrategy
{
    /// <summary>Swarm: every run's choices, timing and (optionally) faults drawn afresh.</summary>
    Random,

    /// <summary>Probabilistic concurrency testing: d − 1 priority change points per run.</summary>
    Pct,

    /// <summary>Guided by coverage: race pairs and the states kills and interrupts reach.</summary>
    Coverage,

    /// <summary>Every assignment of the first contested choices, bounded.</summary>
    Exhaustive,
}

/// <summary>The strategies by name, and each built with the spec every run starts from.</summary>
public static class ExploreStrategies
{
    public static readonly IReadOnlyList<ExploreStrategy> All = [ExploreStrategy.Random, ExploreStrategy.Pct, ExploreStrategy.Coverage, ExploreStrategy.Exhaustive];

    /// <summary>The strategy compare and explore use when none is named.</summary>
    public const ExploreStrategy Default = ExploreStrategy.Coverage;

    /// <summary>The name --strategy and reports use.</summary>
    public static string Name(this ExploreStrategy strategy) => strategy.ToString().ToLowerInvariant();

    /// <summary>The strategy a name denotes; false for a name that is none.</summary>
    public static bool TryParse(string name, out ExploreStrategy strategy) =>
        NamedValues.TryParse(All, s => s.Name(), name, Default, out strategy);

    /// <summary>The names, for help texts and errors.</summary>
    public static string Names => string.Join(", ", All.Select(s => s.Name()));

    /// <summary>The strategy the settings name, with the spec every run starts from.</summary>
    public static IExploreStrategy Create(ExploreSettings settings, ModelSpec template) => settings.Strategy switch
    {
        ExploreStrategy.Random => new RandomStrategy(settings, template),
        ExploreStrategy.Pct => new PctStrategy(settings, template),
        ExploreStrategy.Exhaustive => new ExhaustiveStrategy(settings, template),
        _ => new CoverageStrategy(settings, template),
    };

    /// <summary>The template with a run seed, guest timing within the bound, and the fault plan of the settings.</summary>
    public static ModelSpec Base(ExploreSettings settings, ModelSpec template, ulong seed, FaultPlan? drawnPlan = null)
    {
        var spec = template.Clone();
        spec.Seed = seed;
        spec.GuestJitter = settings.GuestJitterPercent > 0 ? new GuestJitter { Percent = settings.GuestJitterPercent } : null;
        spec.Faults = settings.Faults switch
        {
            FaultMode.Plan => settings.Plan?.Clone(),
            FaultMode.Random => drawnPlan,
            _ => null,
        };
        return spec;
    }
}
