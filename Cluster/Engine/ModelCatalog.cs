using Akka.Actor;
using H2Sim.Core.Input;
using H2Sim.Core.Model;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// The models an actor system can build partitions of, by the name a spec carries
/// (<c>ModelSpec.model</c>). The host registers them at start-up (the h2sim executable: phold and
/// the kernel model; a test: its own) and installs its catalog in every actor system it starts, so
/// the engine knows no model itself and every node builds the same partitions from the same spec.
/// </summary>
public sealed class ModelCatalog
{
    private readonly SortedDictionary<string, IModelFactory> factories = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The catalog installed in <paramref name="system"/> (an empty one until the host installs its own).</summary>
    public static ModelCatalog Of(ActorSystem system) => system.WithExtension<SystemModels, SystemModelsId>().Catalog;

    /// <summary>Makes <paramref name="system"/> build partitions from <paramref name="models"/> (the catalog itself, not a copy).</summary>
    public static void Install(ActorSystem system, ModelCatalog models) =>
        system.WithExtension<SystemModels, SystemModelsId>().Catalog = models;

    /// <summary>Adds (or replaces) the factory for <paramref name="name"/>; returns this catalog.</summary>
    public ModelCatalog Register(string name, IModelFactory factory)
    {
        lock (gate)
        {
            factories[name] = factory;
        }

        return this;
    }

    /// <summary>A new catalog with this one's models, for a host that adds its own.</summary>
    public ModelCatalog Copy()
    {
        var copy = new ModelCatalog();
        foreach (var (name, factory) in Snapshot())
        {
            copy.Register(name, factory);
        }

        return copy;
    }

    /// <summary>The factory for a spec's model; a name nobody registered is an input error (a log from another build).</summary>
    public IModelFactory For(string model)
    {
        lock (gate)
        {
            return factories.TryGetValue(model, out var factory)
                ? factory
                : throw new InputException($"unknown model '{model}' (known: {string.Join(", ", factories.Keys)})");
        }
    }

    private List<KeyValuePair<string, IModelFactory>> Snapshot()
    {
        lock (gate)
        {
            return [.. factories];
        }
    }
}
