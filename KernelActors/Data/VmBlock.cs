namespace H2Sim.KernelActors.Data;

/// <summary>
/// H2K_vmblock_t (h2-domain.md §3.1): the fields teardown touches, the contexts array, the LIFO
/// free list, and the VM's guest memory (words addressed by physical address).
/// </summary>
public sealed class VmBlock
{
    public VmBlock(int vmidx, int maxCpus, ThreadId parent, string name)
    {
        Vmidx = vmidx;
        MaxCpus = maxCpus;
        Parent = parent;
        Name = name;
        Contexts = new ThreadContext[maxCpus];
        for (var i = 0; i < maxCpus; i++)
        {
            Contexts[i] = new ThreadContext(this, (uint)i);
        }

        // Pushed onto free_threads in index order, so the first thread created gets max_cpus-1 (§3.2).
        for (var i = 0; i < maxCpus; i++)
        {
            PushFree(Contexts[i]);
        }
    }

    public int Vmidx { get; }

    public string Name { get; }

    /// <summary>Id of the thread that configured the VM; 0:0 for the boot VM (no context).</summary>
    public ThreadId Parent { get; }

    /// <summary>Last recorded exit status (s32 in H2K_vmblock_t); every thread_stop overwrites it.</summary>
    public int Status { get; set; }

    public uint TrapMask { get; set; } = uint.MaxValue;

    public int BestPrio { get; set; }

    /// <summary>Bit per cpuidx &lt; 64 for vCPUs in VMWAIT.</summary>
    public ulong WaitingCpus { get; set; }

    public int MaxCpus { get; }

    /// <summary>Live (non-DEAD) contexts: the teardown counter.</summary>
    public int NumCpus { get; set; }

    public ThreadContext[] Contexts { get; }

    /// <summary>Head of the intpool ring (FIFO of INTBLOCKED intpool waiters).</summary>
    public ThreadContext? Intpool { get; set; }

    /// <summary>Interrupt numbers that arrived with no intpool waiter.</summary>
    public SortedSet<int> IntpoolPending { get; } = new();

    /// <summary>Head of the singly linked LIFO free list of DEAD contexts.</summary>
    public ThreadContext? FreeThreads { get; set; }

    /// <summary>Cross-cluster extension: the parent VM on another cluster, or null (architecture.md §2).</summary>
    public RemoteParentLink? RemoteParent { get; set; }

    /// <summary>[P] only: set by vm_stop_locked, never cleared.</summary>
    public bool Exiting { get; set; }

    /// <summary>
    /// [V] review only: set by VMOP_KILL_VM ("mark the VM as being killed"), cleared when num_cpus
    /// reaches 0. While set, thread create refuses (policy refuse-create=on).
    /// </summary>
    public bool Dying { get; set; }

    /// <summary>
    /// [V] review with on-empty=auto-free: exit records of children the kernel freed itself, by
    /// child handle (the vmidx for a local child, the remote handle for one on another cluster) →
    /// the child's last status. VMOP_STATUS answers from a record, VMOP_FREE clears it.
    /// </summary>
    public SortedDictionary<long, int> ExitRecords { get; } = new();

    /// <summary>Set when the block's memory is freed (H2K_mem_alloc_free); any later use is a violation.</summary>
    public bool Freed { get; set; }

    /// <summary>Guest memory: 64-bit words by address, from the slot's base. Pthread objects live here.</summary>
    private GuestMemory? memory;

    /// <summary>Named guest objects (symbol → address), for programs and for hang reports.</summary>
    public Dictionary<string, long> Symbols { get; } = new(StringComparer.Ordinal);

    /// <summary>Next free guest address for named objects (8-byte aligned).</summary>
    public long NextAddress { get; set; }

    /// <summary>Contexts whose status is not DEAD, kept by ThreadContext.Status (num_cpus is checked against it).</summary>
    public int LiveContexts { get; set; }

    /// <summary>The kernel's log of contexts changed in the current section (null until the kernel adopts the block).</summary>
    public SectionLog? Log { get; set; }

    public void Touched(ThreadContext context) => Log?.Add(context);

    public void PushFree(ThreadContext context)
    {
        context.LinkInto(ContextPlace.FreeList, Vmidx);
        context.Next = FreeThreads;
        FreeThreads = context;
    }

    public ThreadContext? PopFree()
    {
        var head = FreeThreads;
        if (head is not null)
        {
            head.UnlinkFrom(ContextPlace.FreeList, Vmidx, "pop free_threads");
            FreeThreads = head.Next;
            head.Next = null;
        }

        return head;
    }

    /// <summary>Bytes of guest memory each VM slot owns: slot s owns [s·2^26, (s+1)·2^26), all below 2^32.</summary>
    public const long MemoryBytesPerSlot = 1L << 26;

    /// <summary>Where a VM slot's named objects start (physical addresses, 32-bit as on Hexagon).</summary>
    public static long MemoryBase(int slot) => (slot * MemoryBytesPerSlot) | 0x1000;

    public long Read(long address) => (memory ??= new GuestMemory(MemoryBase(Vmidx))).Read(address);

    /// <summary>Pages (and wild words) of guest memory allocated so far.</summary>
    public int MemoryAllocations => memory?.Allocations ?? 0;

    public void Write(long address, long value) => (memory ??= new GuestMemory(MemoryBase(Vmidx))).Write(address, value);

    public override string ToString() => $"VM {Vmidx} ({Name})";
}
