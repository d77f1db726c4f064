using Akka.Actor;

namespace H2Sim.Cluster.Engine;

/// <summary>The catalog an actor system uses, held as an Akka extension so every actor of the system finds it.</summary>
public sealed class SystemModels : IExtension
{
    public ModelCatalog Catalog { get; set; } = new();
}

/// <summary>Akka's handle for <see cref="SystemModels"/>: one per actor system.</summary>
public sealed class SystemModelsId : ExtensionIdProvider<SystemModels>
{
    public override SystemModels CreateExtension(ExtendedActorSystem system) => new();
}
