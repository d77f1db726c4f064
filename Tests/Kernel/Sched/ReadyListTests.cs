using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Sched;

/// <summary>
/// The ready list (kernel/data/readylist/readylist.spec): one ring per priority and a 256-bit
/// valid mask; append goes to the tail (round robin), insert to the head (PI boost), getbest takes
/// the head of the lowest-numbered non-empty ring, and a ring's bit clears when it empties.
/// </summary>
public sealed class ReadyListTests
{
    [Fact]
    public void Getbest_takes_the_lowest_numbered_priority_across_the_valid_words_then_empties()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var at200 = bench.Create(prio: 200);
        var at70 = bench.Create(prio: 70);
        Assert.Equal(70, bench.Kernel.ReadyBestPrio());

        Assert.Same(at70, bench.Kernel.ReadyGetBest());
        Assert.Equal(200, bench.Kernel.ReadyBestPrio());
        Assert.Same(at200, bench.Kernel.ReadyGetBest());
        Assert.Equal(KernelConstants.MaxPrios, bench.Kernel.ReadyBestPrio());
        Assert.Null(bench.Kernel.ReadyGetBest());
    }

    [Fact]
    public void Append_is_round_robin_and_insert_goes_to_the_head_of_the_same_ring()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var first = bench.Create();
        var second = bench.Create();
        var boosted = bench.Create();
        bench.Kernel.ReadyRemove(boosted);

        bench.Kernel.ReadyInsert(boosted);

        Assert.Equal([boosted, first, second], Ring.Enumerate(bench.Kernel.Ready[KernelBench.WorkerPrio]).ToList());
        Assert.Same(boosted, bench.Kernel.ReadyGetBest());
        Assert.Same(first, bench.Kernel.ReadyGetBest());
    }

    [Fact]
    public void A_priority_stays_valid_while_its_ring_holds_another_context()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var first = bench.Create();
        bench.Create();

        bench.Kernel.ReadyRemove(first);

        Assert.Equal(KernelBench.WorkerPrio, bench.Kernel.ReadyBestPrio());
        Assert.True(bench.Kernel.AnyReadyAt(KernelBench.WorkerPrio));
        Assert.False(bench.InReadyRing(first));
    }

    [Fact]
    public void Removing_a_context_that_is_not_ready_is_a_ready_membership_violation()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var running = bench.Running(0);

        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.ReadyRemove(running));

        Assert.Equal("ready-membership", violation.Invariant);
    }

    [Fact]
    public void Removing_a_ready_context_whose_priority_changed_under_it_is_a_ring_membership_violation()
    {
        var bench = new KernelBench(KernelVariant.Pr39);
        var context = bench.Create();
        context.Prio = KernelBench.WorkerPrio + 1;

        var violation = Assert.Throws<KernelInvariantException>(() => bench.Kernel.ReadyRemove(context));

        Assert.Equal("ring-membership", violation.Invariant);
    }
}
