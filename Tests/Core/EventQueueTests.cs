using H2Sim.Core.Events;
using H2Sim.Core.Randomness;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class EventQueueTests
{
    /// <summary>Key order as architecture.md §4 defines it, written independently of the queue.</summary>
    private static readonly Comparer<SimEvent> KeyOrder = Comparer<SimEvent>.Create((x, y) =>
        (x.Time, x.Target, x.Source, x.Sequence).CompareTo((y.Time, y.Target, y.Source, y.Sequence)));

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    public void Pops_in_key_order_whatever_the_delays(ulong seed)
    {
        var random = new DeterministicRandom(seed, 1, (RandomPurpose)0);
        var queue = new EventQueue(16);
        var reference = new SortedSet<SimEvent>(KeyOrder);
        var nextSequence = new ulong[8];
        var now = 0UL;
        var popped = 0;
        for (var step = 0; step < 30_000; step++)
        {
            if (reference.Count == 0 || random.NextBelow(100) < 52)
            {
                var source = (uint)random.NextBelow(8);
                var ev = new SimEvent(now + Delay(ref random), (uint)random.NextBelow(8), source, nextSequence[source]++, 1, step, 0, 0);
                queue.Push(ev);
                reference.Add(ev);
            }
            else
            {
                var expected = reference.Min;
                Assert.Equal(expected.Time, queue.PeekTime);
                Assert.Equal(expected, queue.Pop());
                reference.Remove(expected);
                now = expected.Time;
                Assert.Equal(now, queue.CurrentCycles);
                popped++;
            }

            Assert.Equal(reference.Count, queue.Count);
        }

        foreach (var expected in reference)
        {
            Assert.Equal(expected.Time, queue.PeekTime);
            Assert.Equal(expected, queue.Pop());
        }

        Assert.True(popped > 10_000);
        Assert.Equal(0, queue.Count);
        Assert.Equal(ulong.MaxValue, queue.PeekTime);
    }

    [Fact]
    public void Events_far_beyond_the_ring_come_back_in_order_with_the_near_ones()
    {
        var queue = new EventQueue();
        ulong[] times = [EventQueue.RingCycles * 3UL, 5, EventQueue.RingCycles - 1, EventQueue.RingCycles, 1UL << 40, EventQueue.RingCycles * 3UL, 0];
        for (var i = 0; i < times.Length; i++)
        {
            queue.Push(new SimEvent(times[i], 0, 0, (ulong)i, 0, 0, 0, 0));
        }

        var popped = Enumerable.Range(0, times.Length).Select(_ => queue.Pop()).Select(e => (e.Time, e.Sequence)).ToList();

        Assert.Equal(
            [(0UL, 6UL), (5UL, 1UL), (4095UL, 2UL), (4096UL, 3UL), (12288UL, 0UL), (12288UL, 5UL), (1UL << 40, 4UL)],
            popped);
    }

    [Fact]
    public void A_push_at_the_current_cycle_is_ordered_among_that_cycles_events()
    {
        var queue = new EventQueue();
        queue.Push(new SimEvent(10, 5, 0, 0, 0, 0, 0, 0));
        queue.Push(new SimEvent(10, 3, 0, 1, 0, 0, 0, 0));
        Assert.Equal(3u, queue.Pop().Target);

        // Sent with delay 0 while handling the first: same cycle, and its key orders first.
        queue.Push(new SimEvent(10, 4, 0, 2, 0, 0, 0, 0));

        Assert.Equal([4u, 5u], new[] { queue.Pop().Target, queue.Pop().Target });
    }

    [Fact]
    public void A_push_before_the_current_cycle_is_an_error()
    {
        var queue = new EventQueue();
        queue.Push(new SimEvent(10, 0, 0, 0, 0, 0, 0, 0));
        queue.Pop();

        var error = Assert.Throws<InvalidOperationException>(() => queue.Push(new SimEvent(9, 0, 0, 1, 0, 0, 0, 0)));
        Assert.Contains("never goes back", error.Message);
    }

    [Fact]
    public void Pop_on_an_empty_queue_is_an_error_and_clear_resets_the_clock()
    {
        var queue = new EventQueue();
        Assert.Throws<InvalidOperationException>(() => queue.Pop());

        queue.Push(new SimEvent(500, 0, 0, 0, 0, 0, 0, 0));
        queue.Push(new SimEvent(1UL << 50, 0, 0, 1, 0, 0, 0, 0));
        queue.Pop();
        queue.Clear();

        Assert.Equal((0, 0UL, ulong.MaxValue), (queue.Count, queue.CurrentCycles, queue.PeekTime));
        queue.Push(new SimEvent(1, 0, 0, 0, 0, 0, 0, 0));
        Assert.Equal(1UL, queue.Pop().Time);
    }

    /// <summary>Zero (same cycle), near, across the ring's reach, and far beyond it.</summary>
    private static ulong Delay(ref DeterministicRandom random) => random.NextBelow(10) switch
    {
        0 or 1 => 0,
        < 6 => random.NextBelow(50),
        < 9 => random.NextBelow(3 * EventQueue.RingCycles),
        _ => random.NextBelow(1UL << 40),
    };
}
