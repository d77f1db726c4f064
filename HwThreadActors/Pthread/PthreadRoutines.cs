using System.Runtime.CompilerServices;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>A C function the pthread layer calls: a start routine, a TLS destructor. It may set ret (the return value).</summary>
public delegate IEnumerable<GuestAction> PthreadRoutine(GuestThread t, long arg, Out ret);

/// <summary>
/// The code of a system linked with libpthread: each routine is also a program in the system's
/// table, so its "address" is a pc that THREAD_CREATE, a TCB or the key table can carry.
/// </summary>
public static class PthreadRoutines
{
    private static readonly ConditionalWeakTable<ProgramTable, Dictionary<long, PthreadRoutine>> Tables = new();

    /// <summary>Registers a routine; returns its pc. A raw THREAD_CREATE of it runs it with arg = r0.</summary>
    public static long Add(SystemDefinition definition, string name, PthreadRoutine routine)
    {
        Install(definition);
        var pc = definition.Program(name, t => routine(t, t.Arg, new Out()));
        Tables.GetOrCreateValue(definition.Programs)[pc] = routine;
        return pc;
    }

    public static PthreadRoutine At(GuestThread t, long pc) =>
        Tables.TryGetValue(t.System.Programs, out var table) && table.TryGetValue(pc, out var routine)
            ? routine
            : throw new InvalidOperationException($"no pthread routine at pc 0x{pc:x}");

    /// <summary>Links libpthread into a system: the trampoline every pthread_create starts at.</summary>
    public static void Install(SystemDefinition definition)
    {
        if (!Tables.TryGetValue(definition.Programs, out _))
        {
            Tables.GetOrCreateValue(definition.Programs);
            definition.Program(PthreadThread.TrampolineName, PthreadThread.Trampoline);
        }
    }

    /// <summary>
    /// Registers a VM's main: crt0 runs the library constructor (main is detached, its TCB static),
    /// then main, then exit(main's return value) through sys_exit for this kernel.
    /// </summary>
    public static void AddMain(SystemDefinition definition, string name, PthreadRoutine main)
    {
        Install(definition);
        definition.Program(name, t => PthreadThread.RunMain(t, main));
    }
}
