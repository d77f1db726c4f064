using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// Links libpthread into a system: the trampoline every pthread_create starts at, and each VM's
/// main behind the library's crt0. Start routines and TLS destructors are ordinary programs of the
/// system's table (their "address" is a pc a TCB or the key table can carry); a routine gets its
/// argument in A0 and hands its return value back with Return.
/// </summary>
public static class PthreadLibrary
{
    public static void Install(SystemDefinition definition)
    {
        if (!definition.Programs.Contains(PthreadThread.TrampolineName))
        {
            definition.Programs.Add(PthreadThread.TrampolineName, PthreadThread.Trampoline);
        }
    }

    /// <summary>Registers a start routine (or destructor); returns its pc. A raw THREAD_CREATE of it runs it with arg = r0.</summary>
    public static long Add(SystemDefinition definition, string name, GuestRoutine routine, object? state = null)
    {
        Install(definition);
        return definition.Programs.Add(name, routine, state);
    }

    /// <summary>
    /// Registers a VM's main: crt0 runs the library constructor (main is detached, its TCB static),
    /// then main, then exit(main's return value) through sys_exit for this kernel.
    /// </summary>
    public static long AddMain(SystemDefinition definition, string name, GuestRoutine main, object? state = null)
    {
        Install(definition);
        return definition.Programs.Add(name, PthreadThread.MainRoutine, new GuestEntryPoint(name, null, main, state));
    }
}
