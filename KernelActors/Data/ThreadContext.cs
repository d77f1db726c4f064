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

    private ContextStatus status;

    /// <summary>
    /// The scheduler status. Every write is logged for the end-of-section check, and a write that
    /// crosses DEAD keeps the vmblock's count of live contexts (against which num_cpus is checked).
    /// </summary>
    public ContextStatus Status
    {
        get => status;
        set
        {
            if ((status == ContextStatus.Dead) != (value == ContextStatus.Dead))
            {
                VmBlock.LiveContexts += value == ContextStatus.Dead ? -1 : 1;
            }

            status = value;
            VmBlock.Touched(this);
        }
    }

    /// <summary>The kernel structure this context is linked into, and its index there.</summary>
    public ContextPlace Place { get; private set; }

    public int PlaceIndex { get; private set; }

    /// <summary>The section this context was last logged in (the log holds each context once per section).</summary>
    public long TouchedInSection { get; set; } = -1;

    /// <summary>The kernel links this context into <paramref name="place"/>: it must be in none.</summary>
    public void LinkInto(ContextPlace place, int index)
    {
        if (Place != ContextPlace.None)
        {
            throw new KernelInvariantException("membership", $"{this} is linked into {Place}[{index}] while still in {Place}[{PlaceIndex}]");
        }

        Place = place;
        PlaceIndex = index;
        VmBlock.Touched(this);
    }

    /// <summary>The kernel unlinks this context from <paramref name="place"/>: it must be there.</summary>
    public void UnlinkFrom(ContextPlace place, int index, string path)
    {
        if (Place != place || PlaceIndex != index)
        {
            throw new KernelInvariantException(place is ContextPlace.Runlist ? "runlist" : "ring-membership", $"{path}: {this} is not in {place}[{index}] (it is in {Place}[{PlaceIndex}])");
        }

        Place = ContextPlace.None;
        PlaceIndex = 0;
        VmBlock.Touched(this);
    }

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
    public IGuestState? Guest { get; set; }

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
        Guest?.Release();
        Guest = null;
        GuestEvent = -1;
        EntryPc = 0;
        EntryArg = 0;
    }

    public override string ToString() => $"ctx {Id} {Status}";

    /// <summary>Where its status says it must be linked (None for VMWAIT; popup or intpool for INTBLOCKED).</summary>
    public bool PlaceMatchesStatus() => Status switch
    {
        ContextStatus.Dead => Place == ContextPlace.FreeList,
        ContextStatus.Running => Place == ContextPlace.Runlist,
        ContextStatus.Ready => Place == ContextPlace.Ready && PlaceIndex == Prio,
        ContextStatus.Blocked => Place == ContextPlace.Futex,
        ContextStatus.IntBlocked => Place is ContextPlace.PopupSlot or ContextPlace.Intpool,
        _ => Place == ContextPlace.None,
    };
}
