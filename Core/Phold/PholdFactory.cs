using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Phold;

/// <summary>Builds PHOLD partitions; validates the parameters once, with messages a user can act on.</summary>
public sealed class PholdFactory : IModelFactory
{
    public static readonly PholdFactory Instance = new();

    /// <summary>A PHOLD spec: the model's <paramref name="shape"/> (h2sim.phold in hocon/h2sim.conf for the CLI) and the run's size.</summary>
    public static ModelSpec Spec(PholdShape shape, ulong seed, uint lps, ulong events, double remote)
        => new()
        {
            Model = "phold",
            Seed = seed,
            LookaheadCycles = shape.LookaheadCycles,
            HorizonCycles = 0,
            Phold = new PholdParams
            {
                Lps = lps,
                Events = events,
                RemoteFraction = remote,
                PopulationPerLp = shape.PopulationPerLp,
                MeanDelayCycles = shape.MeanDelayCycles,
                Groups = shape.Groups,
            },
        };

    public ModelTopology Topology(ModelSpec spec)
    {
        Validate(spec);
        var lpsPerGroup = spec.Phold.Lps / spec.Phold.Groups;
        return new ModelTopology(spec.Phold.Lps, (int)spec.Phold.Groups, lp => PholdModel.GroupOf(lp, lpsPerGroup));
    }

    public ISimModel Create(ModelSpec spec, PartitionView view) => new PholdModel(spec, view);

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles)
    {
        ulong handled = 0;
        foreach (var report in reports)
        {
            handled += ulong.Parse(report.Figures["handled"], System.Globalization.CultureInfo.InvariantCulture);
        }

        var merged = new ModelReport { OutcomeKind = "ok", EndCycles = endCycles };
        merged.Figures["handled"] = handled.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return merged;
    }

    public static void Validate(ModelSpec spec)
    {
        var p = spec.Phold ?? throw new InputException("phold: missing parameters");
        if (p.Groups == 0)
        {
            throw new InputException("phold: groups must be at least 1");
        }

        if (p.Lps < p.Groups || p.Lps % p.Groups != 0)
        {
            throw new InputException($"phold: the LP count must be a positive multiple of {p.Groups} (the placement groups), got {p.Lps}");
        }

        if (p.RemoteFraction is < 0 or > 1 || double.IsNaN(p.RemoteFraction))
        {
            throw new InputException($"phold: the remote fraction must be between 0 and 1, got {p.RemoteFraction}");
        }

        if (p.PopulationPerLp == 0)
        {
            throw new InputException("phold: population per LP must be at least 1");
        }

        if (spec.LookaheadCycles == 0)
        {
            throw new InputException("phold: lookahead must be at least 1 cycle");
        }
    }
}
