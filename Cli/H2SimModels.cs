using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Runs;
using H2Sim.Core.Phold;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.Cli;

/// <summary>
/// The models the h2sim executable registers with the engine when it starts: PHOLD (the engine's
/// benchmark) and the H2 kernel model, rebuilt on each node from the scenario text its spec carries.
/// Every actor system the executable starts (embedded, local workers, `h2sim node`) gets this catalog.
/// </summary>
public static class H2SimModels
{
    public static ModelCatalog Catalog { get; } = new ModelCatalog()
        .Register("phold", PholdFactory.Instance)
        .Register("kernel", ScenarioModelFactory.FromSpec);

    /// <summary>The engine's entry point with these models.</summary>
    public static Simulation Simulation { get; } = new(Catalog);
}
