using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Futex;

/// <summary>
/// PI (h2-domain.md §5.2, §4.3): a prio-100 owner holds a PI lock; a prio-50 thread's lock_pi
/// boosts the owner to 50 (a PrioChanged message in the trace); the owner's unlock_pi hands the
/// lock over and restores its prio to base_prio 100 (another PrioChanged).
/// </summary>
public sealed class PiBoostTraceTests
{
    private sealed class PrioChanges : IDeliveryObserver
    {
        public List<(ulong Time, uint Thread, long Prio)> Seen { get; } = new();

        public void OnDelivered(int partition, in SimEvent ev)
        {
            if (ev.Kind == EventKinds.KernelNote && ev.A == (long)KernelNote.PrioChanged)
            {
                Seen.Add((ev.Time, (uint)ev.B, ev.C));
            }
        }
    }

    private static IEnumerable<GuestAction> Owner(GuestThread t)
    {
        var lockWord = t.Address("lock");
        yield return Trap0(Trap0Numbers.FutexLockPi, lockWord);
        t.Store(t.Address("owner_id"), t.Id.Raw);
        yield return GuestLib.ThreadCreate(t.PcOf("contender"), 0, prio: 50);
        yield return Spin(20_000);
        yield return Trap0(Trap0Numbers.FutexUnlockPi, lockWord);
        yield return Print($"owner prio after unlock {t.Context.Prio}");
    }

    private static IEnumerable<GuestAction> Contender(GuestThread t)
    {
        yield return Trap0(Trap0Numbers.FutexLockPi, t.Address("lock"));
        var handedOver = (t.Load(t.Address("lock")) & ~1L) == t.Id.Raw;
        yield return Print($"contender lock_pi returned {t.Result}, owns the word: {handedOver}");
        yield return Trap0(Trap0Numbers.FutexUnlockPi, t.Address("lock"));
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Boosted_owner_priority_appears_in_the_trace_and_is_restored_on_unlock(KernelVariant kernel)
    {
        var definition = KernelTestSystems.OneVm(Owner, extra: d => d.Program("contender", Contender));
        var observer = new PrioChanges();

        var (result, _) = H2Run.Run(definition, kernel, observer: observer);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Contains("test: contender lock_pi returned 0, owns the word: True", result.Report.Printed);
        Assert.Contains("test: owner prio after unlock 100", result.Report.Printed);
        Assert.Equal(2, observer.Seen.Count);
        var owner = observer.Seen[0].Thread;
        Assert.Equal(50, observer.Seen[0].Prio);
        Assert.Equal(owner, observer.Seen[1].Thread);
        Assert.Equal(100, observer.Seen[1].Prio);
        Assert.True(observer.Seen[1].Time > observer.Seen[0].Time);
    }
}
