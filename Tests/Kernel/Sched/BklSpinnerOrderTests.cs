using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Sched;

/// <summary>
/// BKL contention (h2-domain.md §4.2, §13.1): the order among spinners is unspecified in hardware,
/// so h2sim draws it from the run's seed. Four threads on four hthreads trap at the same cycle
/// while the BKL is held; who gets it next changes with the seed and repeats with the same seed.
/// </summary>
public sealed class BklSpinnerOrderTests
{
    private sealed class GrantOrder : IDeliveryObserver
    {
        public List<uint> Grantees { get; } = new();

        public void OnDelivered(int partition, in SimEvent ev)
        {
            if (ev.Kind == EventKinds.BklGrant && ActorLayout.IsHThread(ev.Target))
            {
                Grantees.Add(ev.Target);
            }
        }
    }

    private static IEnumerable<GuestAction> MainProgram(GuestThread t)
    {
        for (var i = 0; i < 3; i++)
        {
            yield return GuestLib.ThreadCreate(t.PcOf("contender"), i);
        }

        // Release everyone at once: each contender traps (yield) when it sees the flag.
        yield return Spin(5_000);
        t.Store(t.Address("go"), 1);
        yield return Call(Contend(t));
    }

    private static IEnumerable<GuestAction> Contender(GuestThread t)
    {
        while (t.Load(t.Address("go")) == 0)
        {
            yield return Spin(1);
        }

        yield return Call(Contend(t));
    }

    private static IEnumerable<GuestAction> Contend(GuestThread t)
    {
        for (var round = 0; round < 4; round++)
        {
            yield return Trap0(Trap0Numbers.FutexWake, t.Address("nobody"), 1);
        }
    }

    private static List<uint> Order(ulong seed)
    {
        var observer = new GrantOrder();
        var definition = KernelTestSystems.OneVm(MainProgram, extra: d => d.Program("contender", Contender));
        var (result, _) = H2Run.Run(definition, KernelVariant.Master, seed: seed, observer: observer);
        Assert.Equal("exit", result.Report.OutcomeKind);
        return observer.Grantees;
    }

    [Fact]
    public void Spinner_order_follows_the_seed()
    {
        var orders = Enumerable.Range(1, 8).Select(s => string.Join(",", Order((ulong)s))).ToList();

        Assert.True(orders.Distinct().Count() > 1, "every seed gave the same BKL order: " + orders[0]);
        Assert.Equal(orders[2], string.Join(",", Order(3)));
    }
}
