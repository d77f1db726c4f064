using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// The kernel model built from a scenario. Given a definition it runs that one (the suite, the
/// library API); without one it rebuilds the system from the spec's scenario text and parameters
/// (KernelParams.scenario_text / params), so any partition on any node builds the same system.
/// An optional BKL observer is attached to every cluster runtime before the run starts.
/// </summary>
public sealed class ScenarioModelFactory(SystemDefinition? definition = null, Action<BklAcquisition>? bklObserver = null) : IModelFactory, IFaultClassifier
{
    public string? FaultKind(in SimEvent ev) => H2SystemFactory.Classify(ev);

    /// <summary>The instance the engine's model registry uses for model "kernel".</summary>
    public static readonly ScenarioModelFactory FromSpec = new();

    private readonly Dictionary<string, SystemDefinition> built = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public ModelTopology Topology(ModelSpec spec) => Inner(spec).Topology(spec);

    public ISimModel Create(ModelSpec spec, PartitionView view)
    {
        var model = (H2SystemModel)Inner(spec).Create(spec, view);
        if (bklObserver is not null)
        {
            for (var c = 0; c < Definition(spec).Topology.Clusters; c++)
            {
                model.Cluster(c)?.BklAcquired = bklObserver;
            }
        }

        return model;
    }

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        Inner(spec).Merge(spec, reports, reason, endCycles);

    private H2SystemFactory Inner(ModelSpec spec) => new(Definition(spec));

    /// <summary>The system a spec describes: the fixed definition, or the scenario text with its parameters.</summary>
    public SystemDefinition Definition(ModelSpec spec)
    {
        if (definition is not null)
        {
            return definition;
        }

        var kernel = spec.Kernel ?? throw new InputException("kernel model: missing kernel parameters");
        if (string.IsNullOrEmpty(kernel.ScenarioText))
        {
            throw new InputException("kernel model: the spec carries no scenario text (KernelParams.scenario_text)");
        }

        var key = kernel.ScenarioName + "\n" + string.Join(";", kernel.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))
            + "\n" + string.Join(";", kernel.CostOverridesCycles.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)) + "\n" + kernel.ScenarioText;
        lock (gate)
        {
            if (!built.TryGetValue(key, out var system))
            {
                var scenario = ScenarioLoader.Load(kernel.ScenarioText, kernel.ScenarioName);
                var overrides = kernel.Params.ToDictionary(p => p.Key, p => long.Parse(p.Value, global::System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
                system = scenario.Build(overrides, kernel.CostOverridesCycles.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
                built[key] = system;
            }

            return system;
        }
    }
}
