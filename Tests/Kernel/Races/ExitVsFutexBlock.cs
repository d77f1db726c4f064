using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Races;

/// <summary>
/// The R1/R2 shape (h2-domain.md §8 R1, §11.7): main parks on a word nobody wakes; blocker B is
/// released, spins <c>blocker_spins</c>, then FUTEX_WAITs on a word that stays 0; the exiter
/// spins <c>exiter_spins</c> then calls exit(0). Who gets the BKL first decides the race.
/// </summary>
public static class ExitVsFutexBlock
{
    public static SystemDefinition System(long blockerSpins, long exiterSpins = 2_000, int hthreads = 4)
    {
        var definition = new SystemDefinition(new Topology(1, hthreads)) { Name = "exit_vs_futex_block" };
        definition.Parameters["blocker_spins"] = blockerSpins;
        definition.Parameters["exiter_spins"] = exiterSpins;
        definition.Program("main", MainProgram);
        definition.Program("blocker", Blocker);
        definition.Program("exiter", Exiter);
        definition.AddVm("test", "main");
        return definition;
    }

    private static IEnumerable<GuestAction> MainProgram(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("blocker"), 0);
        yield return GuestLib.ThreadCreate(t.PcOf("exiter"), 0);
        while (true)
        {
            yield return GuestLib.FutexWait(t.Address("main_park"), 0);
        }
    }

    private static IEnumerable<GuestAction> Blocker(GuestThread t)
    {
        while (t.Load(t.Address("go")) == 0)
        {
            yield return Spin(50);
        }

        yield return Spin((ulong)t.System.Parameter("blocker_spins", 0));
        yield return GuestLib.FutexWait(t.Address("word"), 0);
        yield return Print("blocker woke (unexpected)");
    }

    private static IEnumerable<GuestAction> Exiter(GuestThread t)
    {
        t.Store(t.Address("go"), 1);
        yield return Spin((ulong)t.System.Parameter("exiter_spins", 0));
        yield return Call(GuestLib.SysExit(t, 0));
    }
}
