using Akka.Actor;
using H2Sim.Cluster.Engine;

namespace H2Sim.Tests.Engine;

/// <summary>One embedded ActorSystem (hocon/h2sim.conf) shared by a test class's runs.</summary>
public sealed class EngineFixture : IDisposable
{
    public ActorSystem System { get; } = ActorSystem.Create("h2sim-tests", HoconConfig.Embedded());

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
