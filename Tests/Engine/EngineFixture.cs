using Akka.Actor;
using H2Sim.Cluster.Engine;
using H2Sim.Tests.Support;

namespace H2Sim.Tests.Engine;

/// <summary>One embedded ActorSystem (hocon/h2sim.conf) shared by a test class's runs.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        System = ActorSystem.Create("h2sim-tests", HoconConfig.Embedded());
        ModelCatalog.Install(System, TestModels.Catalog);
    }

    public ActorSystem System { get; }

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
