using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Run;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>
/// An exception inside the model ends the run at once, on both engines, with one error naming what
/// failed and where (partition, window) — never an actor restarted empty while the run waits for
/// ever. The input's own errors (a scenario found at fault at run time) stay input errors.
/// </summary>
public sealed class ModelExceptionTests(EngineFixture engine) : IClassFixture<EngineFixture>
{
    private const string ThrowsInWindow = "scripted-throws-overflow-in-a-window";
    private const string ThrowsAtStart = "scripted-throws-at-start";
    private const string ThrowsInputError = "scripted-throws-input-error";

    static ModelExceptionTests()
    {
        // Actor 1 (partition 1 of 2) throws on its third delivery; each delivery sends the next, a lookahead later.
        var deliveries = 0;
        TestModels.Catalog.Register(ThrowsInWindow, new ScriptedFactory(
            2,
            start: (view, sink) =>
            {
                if (view.OwnsActor(1))
                {
                    sink.Send(1, 1, 100, kind: 1);
                }
            },
            deliver: (ev, sink) =>
            {
                if (Interlocked.Increment(ref deliveries) % 3 == 0)
                {
                    throw new OverflowException("Arithmetic operation resulted in an overflow.");
                }

                sink.Send(1, 1, 100, kind: 1);
            }));
        TestModels.Catalog.Register(ThrowsAtStart, new ScriptedFactory(2, start: (_, _) => throw new OutOfMemoryException("no room")));
        TestModels.Catalog.Register(ThrowsInputError, new ScriptedFactory(
            1,
            start: (_, sink) => sink.Send(0, 0, 100, kind: 1),
            deliver: (_, _) => throw new InputException("bad.yaml:5: spin: cycles: 4611686018427387904 * 2 does not fit 64 bits (at run time)")));
    }

    [Fact]
    public void An_overflow_in_a_partition_fails_the_akka_run_naming_the_partition_and_the_window()
    {
        var error = Assert.Throws<SimulationFailedException>(() => AkkaEngine.RunIn(engine.System, ScriptedFactory.Spec(ThrowsInWindow), partitionCount: 2));

        Assert.Matches(@"^partition 1, window [1-9][0-9]*: OverflowException: Arithmetic operation resulted in an overflow\.$", error.Message);
    }

    [Fact]
    public void An_overflow_in_a_partition_fails_the_in_process_run_naming_the_partition_and_the_window()
    {
        var error = Assert.Throws<RunFailedException>(() => InProcessRunner.Run(ScriptedFactory.Spec(ThrowsInWindow), TestModels.Catalog.For(ThrowsInWindow), partitionCount: 2));

        Assert.Matches(@"^partition 1, window [1-9][0-9]*: OverflowException: Arithmetic operation resulted in an overflow\.$", error.Message);
    }

    [Fact]
    public void An_exception_while_a_partition_starts_fails_the_run_in_window_0_on_both_engines()
    {
        var akka = Assert.Throws<SimulationFailedException>(() => AkkaEngine.RunIn(engine.System, ScriptedFactory.Spec(ThrowsAtStart), partitionCount: 2));
        var inProcess = Assert.Throws<RunFailedException>(() => InProcessRunner.Run(ScriptedFactory.Spec(ThrowsAtStart), TestModels.Catalog.For(ThrowsAtStart), partitionCount: 2));

        Assert.Matches(@"^partition [01], window 0 \(setup\): OutOfMemoryException: no room$", akka.Message);
        Assert.Equal("partition 0, window 0 (setup): OutOfMemoryException: no room", inProcess.Message);
    }

    [Fact]
    public void A_scenario_error_found_at_run_time_stays_an_input_error_with_its_file_and_line()
    {
        var akka = Assert.Throws<InputException>(() => AkkaEngine.RunIn(engine.System, ScriptedFactory.Spec(ThrowsInputError), partitionCount: 1));
        var inProcess = Assert.Throws<InputException>(() => InProcessRunner.Run(ScriptedFactory.Spec(ThrowsInputError), TestModels.Catalog.For(ThrowsInputError)));

        Assert.StartsWith("bad.yaml:5: spin: cycles:", akka.Message, StringComparison.Ordinal);
        Assert.EndsWith("(partition 0, window 1)", akka.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.yaml:5: spin: cycles:", inProcess.Message, StringComparison.Ordinal);
    }
}
