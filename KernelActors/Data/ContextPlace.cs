namespace H2Sim.KernelActors.Data;

/// <summary>
/// The one kernel structure a context is linked into (h2-domain.md §13.3): it is set when the
/// kernel links the context and checked when it unlinks it, so a context unlinked from a place it
/// is not in fails at that point (a paired assertion), and the per-section check compares it with
/// the context's status.
/// </summary>
public enum ContextPlace : byte
{
    /// <summary>In no structure: VMWAIT, or between an unlink and the next link inside a section.</summary>
    None,

    /// <summary>The vmblock's free list (DEAD).</summary>
    FreeList,

    /// <summary>runlist[hthread] (RUNNING); the index is the hthread.</summary>
    Runlist,

    /// <summary>ready[prio] (READY); the index is the priority.</summary>
    Ready,

    /// <summary>futexhash[bucket] (BLOCKED); the index is the bucket.</summary>
    Futex,

    /// <summary>inthandlers[intno] as a popup waiter (INTBLOCKED); the index is the interrupt number.</summary>
    PopupSlot,

    /// <summary>The vmblock's intpool ring (INTBLOCKED); the index is the vmidx.</summary>
    Intpool,
}
