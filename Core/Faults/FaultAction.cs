namespace H2Sim.Core.Faults;

/// <summary>What a fault does to one message (architecture.md §7).</summary>
public enum FaultAction
{
    None = 0,
    Drop = 1,
    Delay = 2,
    Duplicate = 3,
    Reorder = 4,
}

/// <summary>The names fault plans, logs and reports use for an action.</summary>
public static class FaultActions
{
    /// <summary>drop, delay, duplicate, reorder (none: none).</summary>
    public static string Name(this FaultAction action) => action.ToString().ToLowerInvariant();
}

/// <summary>What a FaultInjected event says: a = action | kind &lt;&lt; 8 | delay &lt;&lt; 32; b = source; c = sequence.</summary>
public static class FaultNote
{
    public static long Encode(FaultAction action, int kind, ulong delayCycles) =>
        (long)action | ((long)(kind & 0xFFFFFF) << 8) | ((long)Math.Min(delayCycles, uint.MaxValue) << 32);

    public static (FaultAction Action, int Kind, ulong DelayCycles) Decode(long a) =>
        ((FaultAction)(a & 0xFF), (int)((a >> 8) & 0xFFFFFF), (ulong)a >> 32);
}

/// <summary>Engine-level event kinds (negative: never handed to the model, but in the trace and hash).</summary>
public static class EngineEventKinds
{
    /// <summary>A fault was injected: a = action | original kind &lt;&lt; 8, b = message source, c = message sequence.</summary>
    public const int FaultInjected = -1;

    /// <summary>A message held for reordering is released if its successor never came.</summary>
    public const int ReorderRelease = -2;

    /// <summary>Flag on Kind: deliver after the next message on the same link.</summary>
    public const int ReorderFlag = 1 << 29;

    public static bool IsEngineEvent(int kind) => kind < 0;

    // Engine events and copies reuse the faulted message's source and sequence with a marker bit,
    // so their keys are unique and a fault never shifts the sequence numbers of later messages
    // (message ids stay valid when a subset of the faults is replayed).
    public const ulong FaultNoteSequenceBit = 1UL << 63;
    public const ulong DuplicateSequenceBit = 1UL << 62;
    public const ulong ReleaseSequenceBit = 1UL << 61;
}
