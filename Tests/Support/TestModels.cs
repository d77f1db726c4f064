using H2Sim.Cli;
using H2Sim.Cluster.Engine;

namespace H2Sim.Tests.Support;

/// <summary>
/// The models the tests' actor systems know: the executable's (phold, kernel) and the scripted or
/// wrapped models test classes register under their own names. Systems hold this catalog itself,
/// so a model registered after a shared system started is still found.
/// </summary>
public static class TestModels
{
    public static ModelCatalog Catalog { get; } = H2SimModels.Catalog.Copy();
}
