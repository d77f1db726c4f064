using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel;

/// <summary>Small guest systems the kernel tests drive through traps, as a guest would.</summary>
public static class KernelTestSystems
{
    /// <summary>One cluster of <paramref name="hthreads"/>, one test VM whose main is <paramref name="main"/>.</summary>
    public static SystemDefinition OneVm(GuestProgram main, int hthreads = 4, long expectStatus = 0, Action<SystemDefinition>? extra = null)
    {
        var definition = new SystemDefinition(new Topology(1, hthreads)) { Name = "test" };
        definition.Program("main", main);
        extra?.Invoke(definition);
        definition.AddVm(new VmDefinition("test", "main", 0, 32) { ExpectStatus = expectStatus });
        return definition;
    }

    /// <summary>A worker that blocks forever on a futex word that stays 0.</summary>
    public static IEnumerable<GuestAction> BlockForever(GuestThread t)
    {
        while (true)
        {
            yield return GuestLib.FutexWait(t.Address("never"), 0);
        }
    }

    public static IEnumerable<GuestAction> Spin(ulong cycles)
    {
        yield return GuestAction.Spin(cycles);
    }
}
