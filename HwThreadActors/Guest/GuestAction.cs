using H2Sim.KernelActors;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>What a guest program does next.</summary>
public enum GuestActionKind
{
    /// <summary>Spend cycles computing (a guest spin, an atomic, a library call's overhead).</summary>
    Spin,

    /// <summary>Trap into the kernel (trap0 or trap1).</summary>
    Trap,

    /// <summary>Print a line (puts through semihosting).</summary>
    Print,

    /// <summary>Run a C# iterator routine to completion, as a call would (test programs, the C# API).</summary>
    Call,

    /// <summary>Call a state-machine routine (<see cref="GuestRoutine"/>) with up to four arguments.</summary>
    Invoke,

    /// <summary>Return from the current routine with a value.</summary>
    Return,
}

/// <summary>
/// One step of a guest program. Memory operations (LL/SC, loads, stores) happen between steps,
/// atomically at the current virtual time; a step either spends virtual time (spin, trap, print)
/// or moves between routines (call, invoke, return), which takes none.
/// </summary>
public readonly struct GuestAction
{
    public GuestActionKind Kind { get; init; }

    public ulong Cycles { get; init; }

    public KernelEntry Entry { get; init; }

    public string? Text { get; init; }

    /// <summary>The iterator routine a <see cref="GuestActionKind.Call"/> runs.</summary>
    public IEnumerable<GuestAction>? Routine { get; init; }

    /// <summary>The state-machine routine an <see cref="GuestActionKind.Invoke"/> runs, and its arguments.</summary>
    public GuestRoutine? Callee { get; init; }

    public long A0 { get; init; }

    public long A1 { get; init; }

    public long A2 { get; init; }

    public long A3 { get; init; }

    /// <summary>An object argument of an invoke (a routine's host state), or null.</summary>
    public object? Ref { get; init; }

    /// <summary>The value a <see cref="GuestActionKind.Return"/> hands back.</summary>
    public long Value { get; init; }

    public static GuestAction Spin(ulong cycles) => new() { Kind = GuestActionKind.Spin, Cycles = cycles };

    public static GuestAction Trap0(int number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0, string? text = null) =>
        new() { Kind = GuestActionKind.Trap, Entry = new KernelEntry(EntryKind.Trap0, number, a0, a1, a2, a3, a4, a5, text) };

    public static GuestAction VmTrap(int number, long a0 = 0, long a1 = 0) =>
        new() { Kind = GuestActionKind.Trap, Entry = new KernelEntry(EntryKind.Trap1, number, a0, a1) };

    public static GuestAction Print(string text) => new() { Kind = GuestActionKind.Print, Text = text };

    /// <summary>Runs an iterator routine to completion, as a call would.</summary>
    public static GuestAction Call(IEnumerable<GuestAction> routine) => new() { Kind = GuestActionKind.Call, Routine = routine };

    /// <summary>Calls a state-machine routine; its return value is then in <see cref="GuestThread.Returned"/>.</summary>
    public static GuestAction Invoke(GuestRoutine routine, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, object? reference = null) =>
        new() { Kind = GuestActionKind.Invoke, Callee = routine, A0 = a0, A1 = a1, A2 = a2, A3 = a3, Ref = reference };

    public static GuestAction Return(long value = 0) => new() { Kind = GuestActionKind.Return, Value = value };
}
