using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>Architecture.md §4: same inputs, same trace hash — across runs and partition counts.</summary>
public sealed class PholdDeterminismTests(EngineFixture engine) : IClassFixture<EngineFixture>
{
    private const ulong Events = 50_000;

    [Fact]
    public void The_same_seed_gives_the_same_trace_hash_over_three_runs()
    {
        var spec = TestPhold.Spec(seed: 7, events: Events);
        var runs = Enumerable.Range(0, 3).Select(_ => AkkaEngine.RunIn(engine.System, spec, partitionCount: 2)).ToList();

        Assert.All(runs, run => Assert.Equal(runs[0].TraceHash, run.TraceHash));
        Assert.All(runs, run => Assert.Equal(runs[0].Events, run.Events));
        Assert.True(runs[0].Events > Events / 2, $"only {runs[0].Events} events delivered");
    }

    [Fact]
    public void Remote_fraction_one_quarter_gives_the_same_hash_on_one_two_and_four_partitions()
    {
        var spec = TestPhold.Spec(seed: 7, events: Events, remote: 0.25);

        var akka = new[] { 1, 2, 4 }.Select(p => AkkaEngine.RunIn(engine.System, spec, p)).ToList();
        var inProcess = new[] { 1, 4 }.Select(p => InProcessRunner.Run(spec, PholdFactory.Instance, p)).ToList();

        var expected = akka[0];
        Assert.All(akka.Concat(inProcess), run =>
        {
            Assert.Equal(expected.TraceHashText, run.TraceHashText);
            Assert.Equal(expected.Events, run.Events);
            Assert.Equal(expected.VirtualCycles, run.VirtualCycles);
            Assert.Equal(expected.Windows, run.Windows);
        });
        Assert.Equal([1, 2, 4, 1, 4], akka.Concat(inProcess).Select(r => r.Partitions));
    }

    [Fact]
    public void Another_seed_gives_another_hash()
    {
        var seven = AkkaEngine.RunIn(engine.System, TestPhold.Spec(seed: 7, events: Events), 2);
        var eight = AkkaEngine.RunIn(engine.System, TestPhold.Spec(seed: 8, events: Events), 2);

        Assert.NotEqual(seven.TraceHash, eight.TraceHash);
    }

    [Fact]
    public void A_horizon_stops_the_run_at_the_horizon_with_the_same_hash_on_any_partition_count()
    {
        var spec = TestPhold.Spec(seed: 3, events: Events);
        spec.HorizonCycles = 2_000;

        var one = AkkaEngine.RunIn(engine.System, spec, 1);
        var four = AkkaEngine.RunIn(engine.System, spec, 4);

        Assert.Equal(H2Sim.Core.Model.RunEndReason.Horizon, one.Reason);
        Assert.True(one.VirtualCycles < 2_000);
        Assert.Equal(one.TraceHash, four.TraceHash);
        Assert.NotEqual(one.TraceHash, AkkaEngine.RunIn(engine.System, TestPhold.Spec(seed: 3, events: Events), 1).TraceHash);
    }
}
