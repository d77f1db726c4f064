using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Phold;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>A run that cannot go on fails with an error that says why — never a hang.</summary>
public sealed class EngineFailureTests(EngineFixture engine) : IClassFixture<EngineFixture>
{
    private const string ShortCrossGroupSend = "scripted-short-cross-group-send";

    static EngineFailureTests()
    {
        // Actor 0 sends to actor 1 (another group) after half the lookahead, from its first delivery.
        TestModels.Catalog.Register(ShortCrossGroupSend, new ScriptedFactory(
            2,
            start: (view, sink) =>
            {
                if (view.OwnsActor(0))
                {
                    sink.Send(0, 0, 10, kind: 1);
                }
            },
            deliver: (ev, sink) => sink.Send(0, 1, 50, kind: 2)));
    }

    [Fact]
    public void A_cross_group_send_below_the_lookahead_fails_the_run_naming_partition_and_window()
    {
        var error = Assert.Throws<SimulationFailedException>(
            () => AkkaEngine.RunIn(engine.System, ScriptedFactory.Spec(ShortCrossGroupSend, lookaheadCycles: 100), partitionCount: 2));

        Assert.Contains("partition 0, window 1", error.Message);
        Assert.Contains("lookahead 100", error.Message);
    }

    [Fact]
    public void An_unknown_model_fails_the_run_with_its_name()
    {
        var spec = TestPhold.Spec(seed: 1, events: 1_000);
        spec.Model = "no-such-model";

        // A spec naming no registered model is the input's fault (a log from another build): exit 2.
        var error = Assert.Throws<InputException>(() => AkkaEngine.RunIn(engine.System, spec, 2));

        Assert.Contains("no-such-model", error.Message);
    }
}
