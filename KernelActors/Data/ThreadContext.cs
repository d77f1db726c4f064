namespace H2Sim.KernelActors.Data;

/// <summary>
/// H2K_thread_context (h2-domain.md §2): one per vCPU, living in its vmblock's contexts[].
/// Next/Prev link it into whichever ring holds it (ready ring, futex bucket, intpool ring, or
/// through Next only the free list); it is in at most one at a time.
/// </summary>
public sealed class ThreadContext
{
    public ThreadContext(VmBlock vmblock, uint cpuidx)
    {
        VmBlock = vmblock;
        Id = ThreadId.Of((uint)vmblock.Vmidx, cpuidx);
    }

    // Preserved by H2K_thread_context_clear (vmblock_id).
    public ThreadId Id { get; }

    public VmBlock VmBlock { get; }

    public uint Cpuidx => Id.Cpuidx;

    // Ring links.
    public ThreadContext? Next { get; set; }

    public ThreadContext? Prev { get; set; }

    public ContextStatus Status { get; set; }

    public VmStatusBits VmStatus { get; set; }

    /// <summary>hthread the context last ran or runs on.</summary>
    public int HThread { get; set; }

    /// <summary>Current, possibly PI-boosted, priority (0 best).</summary>
    public int Prio { get; set; }

    public int BasePrio { get; set; }

    public int Tid { get; set; }

    /// <summary>Absolute timer deadline in cycles; 0 = none.</summary>
    public ulong Timeout { get; set; }

    /// <summary>Per-vCPU virtual interrupts 0–15 pending (CHILDINT 14, TIME_GUESTINT 12).</summary>
    public ushort CpuintPending { get; set; }

    public ushort CpuintEnabled { get; set; }

    /// <summary>Guest event vector base (0 until setvec).</summary>
    public long Gevb { get; set; }

    /// <summary>Address the thread is BLOCKED on (futex_ptr).</summary>
    public long FutexPtr { get; set; }

    /// <summary>Saved r0: the return value of a blocking trap when it is switched back in.</summary>
    public long R00 { get; set; }

    /// <summary>ASID entry this context holds a reference on; -1 for none.</summary>
    public int Asid { get; set; } = -1;

    /// <summary>A guest event raised by check_interrupts, for the guest to take at its vector; -1 none.</summary>
    public int GuestEvent { get; set; } = -1;

    /// <summary>What the guest runs on this context (program, position); owned by HwThreadActors.</summary>
    public object? Guest { get; set; }

    /// <summary>Where the guest started this thread (pc) and its argument, kept for create/boot.</summary>
    public long EntryPc { get; set; }

    public long EntryArg { get; set; }

    public bool Has(VmStatusBits bits) => (VmStatus & bits) == bits;

    /// <summary>H2K_thread_context_clear: zero every field except the id and vmblock.</summary>
    public void Clear()
    {
        Next = null;
        Prev = null;
        Status = ContextStatus.Dead;
        VmStatus = VmStatusBits.None;
        HThread = 0;
        Prio = 0;
        BasePrio = 0;
        Tid = 0;
        Timeout = 0;
        CpuintPending = 0;
        CpuintEnabled = 0;
        Gevb = 0;
        FutexPtr = 0;
        R00 = 0;
        Asid = -1;
        Guest = null;
        GuestEvent = -1;
        EntryPc = 0;
        EntryArg = 0;
    }

    public override string ToString() => $"ctx {Id} {Status}";
}
