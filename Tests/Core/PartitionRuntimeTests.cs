using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class PartitionRuntimeTests
{
    private const ulong Lookahead = 100;

    [Fact]
    public void A_send_to_another_group_with_delay_below_the_lookahead_is_an_error()
    {
        var factory = new ScriptedFactory(2, start: (view, sink) => sink.Send(0, 1, Lookahead - 1, 1));
        var runtime = new PartitionRuntime(ScriptedFactory.Spec("scripted", Lookahead), factory, 0, 1);

        var error = Assert.Throws<InvalidOperationException>(() => runtime.Start());
        Assert.Contains("lookahead", error.Message);
    }

    [Fact]
    public void A_send_to_another_group_at_exactly_the_lookahead_is_allowed()
    {
        var factory = new ScriptedFactory(2, start: (view, sink) => sink.Send(0, 1, Lookahead, 1));
        var runtime = new PartitionRuntime(ScriptedFactory.Spec("scripted", Lookahead), factory, 0, 1);

        runtime.Start();
        Assert.Equal(Lookahead, runtime.NextEventCycles);
    }

    [Fact]
    public void Within_a_group_a_zero_delay_send_is_delivered_in_the_same_window_in_key_order()
    {
        // Actor 0 talks to itself: the first delivery schedules two more at the same time.
        var factory = new ScriptedFactory(1, start: (view, sink) => sink.Send(0, 0, 10, kind: 1), deliver: (ev, sink) =>
        {
            if (ev.Kind == 1)
            {
                sink.Send(0, 0, 0, kind: 2, a: 1);
                sink.Send(0, 0, 0, kind: 2, a: 2);
            }
        });
        var runtime = new PartitionRuntime(ScriptedFactory.Spec("scripted", Lookahead), factory, 0, 1);
        runtime.Start();

        var result = runtime.RunWindow(11);

        Assert.Equal(3UL, result.EventsDelivered);
        Assert.Equal([(10UL, 0UL, 0L), (10UL, 1UL, 1L), (10UL, 2UL, 2L)], factory.Delivered.Select(e => (e.Time, e.Sequence, e.A)));
        Assert.Equal(ulong.MaxValue, result.NextEventCycles);
    }

    [Fact]
    public void A_window_delivers_only_events_before_its_end()
    {
        var factory = new ScriptedFactory(1, start: (view, sink) =>
        {
            sink.Send(0, 0, 50, 1);
            sink.Send(0, 0, 150, 1);
        });
        var runtime = new PartitionRuntime(ScriptedFactory.Spec("scripted", Lookahead), factory, 0, 1);
        runtime.Start();

        var first = runtime.RunWindow(150);
        Assert.Equal(1UL, first.EventsDelivered);
        Assert.Equal(150UL, first.NextEventCycles);

        var second = runtime.RunWindow(151);
        Assert.Equal(1UL, second.EventsDelivered);
        Assert.Equal(150UL, runtime.NowCycles);
    }

    [Fact]
    public void An_event_for_another_partition_travels_in_that_partitions_batch()
    {
        // Two groups on two partitions: actor 0 on partition 0, actor 1 on partition 1.
        var factory = new ScriptedFactory(2, start: (view, sink) =>
        {
            if (view.OwnsActor(0))
            {
                sink.Send(0, 1, Lookahead + 5, kind: 7, a: 99);
            }
        });
        var spec = ScriptedFactory.Spec("scripted", Lookahead);
        var sender = new PartitionRuntime(spec, factory, 0, 2);
        var receiver = new PartitionRuntime(spec, factory, 1, 2);

        Assert.Equal(Lookahead + 5, sender.Start());
        receiver.Start();
        Assert.Equal(0, sender.PendingEvents);
        Assert.True(sender.HasBatchFor(1));
        Assert.False(sender.HasBatchFor(0));

        var batch = sender.TakeBatch(1, runId: 1, window: 0);
        Assert.False(sender.HasBatchFor(1));
        Assert.Equal(1u, batch.Count);
        receiver.ReceiveBatch(batch);
        receiver.RunWindow(ulong.MaxValue);

        var delivered = Assert.Single(factory.Delivered);
        Assert.Equal((1u, 0u, 7, 99L), (delivered.Target, delivered.Source, delivered.Kind, delivered.A));

        // The same batch is refused by a partition that does not own the target.
        Assert.Throws<InvalidOperationException>(() => sender.ReceiveBatch(batch));
    }
}
