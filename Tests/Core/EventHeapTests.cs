using H2Sim.Core.Events;
using H2Sim.Core.Randomness;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class EventHeapTests
{
    /// <summary>Key order as architecture.md §4 defines it, written independently of SimEvent.PrecedesKey.</summary>
    private static readonly Comparer<SimEvent> KeyOrder = Comparer<SimEvent>.Create((x, y) =>
        (x.Time, x.Target, x.Source, x.Sequence).CompareTo((y.Time, y.Target, y.Source, y.Sequence)));

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void Pops_in_key_order_under_random_pushes_and_pops(ulong seed)
    {
        var random = new DeterministicRandom(seed, 0, (RandomPurpose)0);
        var heap = new EventHeap(16);
        var reference = new SortedSet<SimEvent>(KeyOrder);
        var nextSequence = new ulong[8];
        var popped = 0;
        for (var step = 0; step < 20_000; step++)
        {
            // Push a little more often than pop so the heap grows well past its first capacity;
            // few distinct times, targets and sources so that every tie-break level is exercised.
            if (reference.Count == 0 || random.NextBelow(100) < 55)
            {
                var source = (uint)random.NextBelow(8);
                var ev = new SimEvent(
                    random.NextBelow(64), (uint)random.NextBelow(8), source, nextSequence[source]++, 1, (long)random.NextUInt64(), step, -step);
                heap.Push(ev);
                reference.Add(ev);
            }
            else
            {
                var expected = reference.Min;
                Assert.Equal(expected.Time, heap.PeekTime);
                Assert.Equal(expected, heap.Peek());
                Assert.Equal(expected, heap.Pop());
                reference.Remove(expected);
                popped++;
            }

            Assert.Equal(reference.Count, heap.Count);
        }

        foreach (var expected in reference)
        {
            Assert.Equal(expected, heap.Pop());
        }

        Assert.True(popped > 5_000);
        Assert.Equal(0, heap.Count);
        Assert.Equal(ulong.MaxValue, heap.PeekTime);
    }

    [Fact]
    public void Ties_on_time_break_by_target_then_source_then_sequence()
    {
        var heap = new EventHeap();
        heap.Push(new SimEvent(5, 2, 0, 0, 0, 0, 0, 0));
        heap.Push(new SimEvent(5, 1, 3, 9, 0, 0, 0, 0));
        heap.Push(new SimEvent(5, 1, 3, 2, 0, 0, 0, 0));
        heap.Push(new SimEvent(5, 1, 1, 7, 0, 0, 0, 0));
        heap.Push(new SimEvent(4, 9, 9, 9, 0, 0, 0, 0));

        var order = Enumerable.Range(0, 5).Select(_ => heap.Pop()).Select(e => (e.Time, e.Target, e.Source, e.Sequence)).ToList();

        Assert.Equal(
            [(4UL, 9u, 9u, 9UL), (5UL, 1u, 1u, 7UL), (5UL, 1u, 3u, 2UL), (5UL, 1u, 3u, 9UL), (5UL, 2u, 0u, 0UL)],
            order);
    }

    [Fact]
    public void Clear_empties_the_heap_and_it_is_usable_again()
    {
        var heap = new EventHeap(16);
        for (var i = 0; i < 100; i++)
        {
            heap.Push(new SimEvent((ulong)(100 - i), 0, 0, (ulong)i, 0, 0, 0, 0));
        }

        heap.Clear();
        Assert.Equal(0, heap.Count);
        heap.Push(new SimEvent(7, 0, 0, 0, 0, 0, 0, 0));
        Assert.Equal(7UL, heap.Pop().Time);
    }

    [Fact]
    public void Pop_and_peek_on_an_empty_heap_are_errors()
    {
        var heap = new EventHeap();
        Assert.Throws<InvalidOperationException>(() => heap.Pop());
        Assert.Throws<InvalidOperationException>(() => heap.Peek());
    }
}
