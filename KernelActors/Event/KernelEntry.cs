namespace H2Sim.KernelActors;

/// <summary>How an hthread enters the kernel.</summary>
public enum EntryKind
{
    /// <summary>trap0: RTOS-style services (h2-domain.md §10).</summary>
    Trap0,

    /// <summary>trap1: VM services.</summary>
    Trap1,

    /// <summary>A hardware interrupt taken on return to the guest or while idle.</summary>
    Interrupt,
}

/// <summary>A kernel entry: trap number and arguments (r0..r5), or an interrupt number.</summary>
public readonly record struct KernelEntry(EntryKind Kind, int Number, long A0 = 0, long A1 = 0, long A2 = 0, long A3 = 0, long A4 = 0, long A5 = 0, string? Text = null)
{
    public override string ToString() => Kind switch
    {
        EntryKind.Interrupt => $"interrupt {Number}",
        _ => $"{(Kind == EntryKind.Trap0 ? "trap0" : "trap1")} {Number}({A0}, {A1}, {A2})",
    };
}
