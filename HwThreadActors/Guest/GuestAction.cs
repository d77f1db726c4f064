using H2Sim.KernelActors;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>What a guest program does next: spend cycles, trap into the kernel, print, or call a routine.</summary>
public enum GuestActionKind
{
    Spin,
    Trap,
    Print,
    Call,
}

/// <summary>
/// One step of a guest program. Programs are C# iterators that yield these; memory operations
/// (LL/SC, loads, stores) happen between yields, atomically at the current virtual time.
/// </summary>
public readonly record struct GuestAction(GuestActionKind Kind, ulong Cycles = 0, KernelEntry Entry = default, string? Text = null, IEnumerable<GuestAction>? Routine = null)
{
    public static GuestAction Spin(ulong cycles) => new(GuestActionKind.Spin, Cycles: cycles);

    public static GuestAction Trap0(int number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0, string? text = null) =>
        new(GuestActionKind.Trap, Entry: new KernelEntry(EntryKind.Trap0, number, a0, a1, a2, a3, a4, a5, text));

    public static GuestAction VmTrap(int number, long a0 = 0, long a1 = 0) =>
        new(GuestActionKind.Trap, Entry: new KernelEntry(EntryKind.Trap1, number, a0, a1));

    public static GuestAction Print(string text) => new(GuestActionKind.Print, Text: text);

    /// <summary>Runs a routine (another iterator) to completion, as a call would.</summary>
    public static GuestAction Call(IEnumerable<GuestAction> routine) => new(GuestActionKind.Call, Routine: routine);
}
