using H2Sim.Bench.Naive;
using H2Sim.Core.Phold;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>The naive baseline of `h2sim bench naive` runs the same PHOLD to completion.</summary>
public sealed class NaivePholdTests(EngineFixture engine) : IClassFixture<EngineFixture>
{
    [Fact]
    public void Every_event_is_forwarded_or_absorbed_and_the_run_ends_by_itself()
    {
        const ulong events = 50_000;
        var spec = TestPhold.Spec(seed: 5, lps: 256, events: events);
        var initial = (ulong)spec.Phold.Lps * spec.Phold.PopulationPerLp;

        var result = NaivePhold.Run(engine.System, spec, TimeSpan.FromSeconds(60));

        // Delivered = initial events + forwards, and LPs forward at most their quotas in total.
        Assert.InRange(result.Events, initial, initial + events);
        Assert.True(result.Events > events / 2, $"only {result.Events} events delivered");
        Assert.True(result.VirtualCycles > spec.LookaheadCycles);
    }
}
