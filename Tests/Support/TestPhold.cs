using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Settings;
using H2Sim.Protocol.Model;

namespace H2Sim.Tests.Support;

/// <summary>PHOLD specs for tests, shaped as `bench phold` shapes them: by h2sim.phold in hocon/h2sim.conf.</summary>
public static class TestPhold
{
    private static readonly PholdSettings Settings = PholdSettings.From(HoconConfig.Load());

    public static ModelSpec Spec(ulong seed, uint lps = 1024, ulong events = 2_000_000, double remote = 0.25) =>
        Settings.Spec(seed, lps, events, remote);
}
