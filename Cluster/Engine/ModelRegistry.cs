using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Phold;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.Cluster.Engine;

/// <summary>Maps a spec's model name to its factory, so any node can build any partition.</summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, IModelFactory> Factories = new(StringComparer.Ordinal)
    {
        ["phold"] = PholdFactory.Instance,

        // The H2 kernel model, rebuilt on each node from the scenario text the spec carries.
        ["kernel"] = ScenarioModelFactory.FromSpec,
    };

    public static void Register(string name, IModelFactory factory) => Factories[name] = factory;

    public static IModelFactory For(string model) =>
        Factories.TryGetValue(model, out var factory)
            ? factory
            : throw new InputException($"unknown model '{model}' (known: {string.Join(", ", Factories.Keys.Order())})");
}
