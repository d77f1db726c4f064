using H2Sim.Core.Randomness;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.KernelActors;

/// <summary>
/// One cluster's H2 kernel instance: the globals of H2K_gp (h2-domain.md §4.1) — runlist, ready
/// rings, futex hash, vmblocks, interrupt steering — plus the BKL. The kernel functions are split
/// by area into partial files named after them (Sched/Dosched.cs, Thread/ThreadStop.cs, …). Every
/// function here runs inside a BKL critical section unless its comment says otherwise, and charges
/// its cycles from the cost model; the section lasts their sum.
/// </summary>
public sealed partial class Kernel
{
    private readonly IKernelEffects effects;
    private readonly SectionLog sectionLog = new();
    private DeterministicRandom jitterRandom;

    public Kernel(int cluster, int hthreads, KernelVariant variant, KernelBug bugs, CostModel costs, IKernelEffects effects, ulong seed, FaultPlan? faults = null, Schedule? schedule = null, KernelPolicies? policies = null)
    {
        if (hthreads is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(hthreads), $"a cluster has 1..16 hthreads, got {hthreads}");
        }

        Cluster = cluster;
        HThreads = hthreads;
        Variant = variant;
        Bugs = bugs;
        Policies = policies ?? KernelPolicies.Default;
        Costs = costs;
        this.effects = effects;
        Choices = new ChoicePoints(cluster, seed, faults, schedule, effects);
        jitterRandom = new DeterministicRandom(seed, (ulong)cluster, RandomPurpose.CostJitter);
        CostJitterPercent = faults?.CostJitterPercent ?? 0;
        Runlist = new ThreadContext?[hthreads];
        RunlistPrios = new int[hthreads];
        Array.Fill(RunlistPrios, -1);
        HThreadStates = new HThreadState[hthreads];
        for (var h = 0; h < hthreads; h++)
        {
            HThreadStates[h] = new HThreadState(h);
        }

        // Steering at boot: RESCHED_INT may go anywhere (IMASK decides); the steered ones nowhere.
        IAssign[KernelConstants.VmIpiInt] = AllHThreadsMask;
        IAssign[KernelConstants.ClusterReschedInt] = AllHThreadsMask;
    }

    public int Cluster { get; }

    public int HThreads { get; }

    public KernelVariant Variant { get; }

    internal KernelBug Bugs { get; }

    /// <summary>The review kernel's policies (refuse-create, on-empty); the other kernels never read them.</summary>
    internal KernelPolicies Policies { get; }

    internal CostModel Costs { get; }

    public ulong AllHThreadsMask => HThreads == 64 ? ulong.MaxValue : (1UL << HThreads) - 1;

    // --- Globals (H2K_gp) ---

    /// <summary>runlist[h]: the context on hthread h, or null.</summary>
    public ThreadContext?[] Runlist { get; }

    /// <summary>runlist_prios[h]: its priority, or -1.</summary>
    public int[] RunlistPrios { get; }

    /// <summary>ready[256]: one ring per priority.</summary>
    public ThreadContext?[] Ready { get; } = new ThreadContext?[KernelConstants.MaxPrios];

    /// <summary>futexhash[64]: rings ordered by priority, FIFO among equals.</summary>
    public ThreadContext?[] FutexHash { get; } = new ThreadContext?[KernelConstants.FutexHashSize];

    /// <summary>vmblocks[0..63]; slot 0 is never allocated.</summary>
    public VmBlock?[] VmBlocks { get; } = new VmBlock?[KernelConstants.MaxVms];

    /// <summary>wait_mask: a bit per idle hthread.</summary>
    public ulong WaitMask { get; set; }

    /// <summary>priomask: the low-priority hthread's bit and every idle hthread's bit (they take general interrupts).</summary>
    public ulong PrioMask { get; set; }

    /// <summary>The hthread designated low priority, or -1.</summary>
    public int LowPrioHThread { get; internal set; } = -1;

    /// <summary>iassignw state per interrupt (MAX_INTERRUPTS of them, §1): a 1 bit means that hthread does not take it.</summary>
    public ulong[] IAssign { get; } = new ulong[KernelConstants.MaxInterrupts];

    /// <summary>Pending bit per hardware interrupt number (one global bit; raises coalesce).</summary>
    public InterruptBitmap PendingInterrupts { get; } = new();

    /// <summary>mask_for_ipi: hthreads a VM IPI is still owed to (§6.3).</summary>
    public ulong MaskForIpi { get; internal set; }

    /// <summary>inthandlers[]: popup waiters by interrupt number.</summary>
    public Dictionary<int, ThreadContext> PopupHandlers { get; } = new();

    /// <summary>inthandlers[]: intpool bindings (interrupt number → vmblock).</summary>
    public Dictionary<int, VmBlock> IntpoolHandlers { get; } = new();

    /// <summary>ASID reference counts (12-bit counts; entries never freed).</summary>
    internal int[] AsidCounts { get; } = new int[KernelConstants.MaxAsids];

    /// <summary>The global timeout tree: (deadline, thread id).</summary>
    public SortedSet<(ulong Deadline, uint Id)> Timeouts { get; } = new();

    /// <summary>Hardware state of each hthread the kernel reads (mode, where it is).</summary>
    public HThreadState[] HThreadStates { get; }

    /// <summary>Cycles charged by the current critical section.</summary>
    public ulong SectionCycles { get; private set; }

    /// <summary>hthread whose kernel path is running now (-1 for a deferred action of a vmblock).</summary>
    public int CurrentHThread { get; internal set; } = -1;

    /// <summary>
    /// A second kernel path the current one leaves for its hthread to run next, after this section
    /// ends: [M]'s VM-IPI handler takes the BKL for step 3 only after steps 1–2 ran without it; an
    /// idle hthread whose interrupt handler returned takes the BKL again to go back to sleep
    /// (H2K_interrupted_waitmode: k0lock, H2K_switch(NULL, NULL)). Null when there is none.
    /// </summary>
    public KernelEntry? FollowUp { get; internal set; }

    /// <summary>True while the running kernel path holds the BKL (the *Locked functions assert it).</summary>
    internal bool SectionHoldsBkl { get; private set; } = true;

    /// <summary>A function whose caller must hold the BKL (the _locked / _withlock forms) checks it.</summary>
    internal void AssertBklHeld(string function)
    {
        if (!SectionHoldsBkl)
        {
            throw new KernelInvariantException("bkl", $"{function} called without the BKL (hthread {CurrentHThread})");
        }
    }

    /// <summary>True when this section took the sleep path of H2K_switch (nothing to run).</summary>
    internal bool SleptInSection { get; set; }

    /// <summary>The choice points of this cluster (BKL order, interrupt taker).</summary>
    public ChoicePoints Choices { get; }

    /// <summary>Test-only: corrupts state after the next critical section (proves the oracle reports it).</summary>
    internal Action<Kernel>? TestCorruptionHook { get; set; }

    /// <summary>A critical section (or a lock-free kernel path, <paramref name="holdsBkl"/> false) starts on <paramref name="hthread"/>.</summary>
    public void BeginSection(int hthread, bool holdsBkl = true)
    {
        sectionLog.Next();
        SectionHoldsBkl = holdsBkl;
        SectionCycles = 0;
        CurrentHThread = hthread;
        FollowUp = null;
        SleptInSection = false;
        AwaitsRemoteReply = false;
    }

    /// <summary>The section is over: messages sent from now on leave at the current time.</summary>
    public void EndSection()
    {
        SectionCycles = 0;
        CurrentHThread = -1;
    }

    /// <summary>Schedule perturbation: each charged cost varies by up to ± this percentage (seeded).</summary>
    internal double CostJitterPercent { get; }

    public void Charge(ulong cycles)
    {
        if (CostJitterPercent > 0)
        {
            var factor = 1 + (((jitterRandom.NextDouble() * 2) - 1) * CostJitterPercent / 100);
            cycles = (ulong)Math.Max(1, Math.Round(cycles * factor));
        }

        SectionCycles += cycles;
    }

    internal ulong Now => effects.NowCycles;

    internal IKernelEffects Effects => effects;

    internal VmBlock? VmBlockOf(uint vmidx) => vmidx < KernelConstants.MaxVms ? VmBlocks[vmidx] : null;

    /// <summary>
    /// H2K_id_to_context (kernel/thread/id/id.h): vmblocks[vmidx], then the context if cpuidx is in
    /// range; null when the slot is NULL. A slot that still points at a freed vmblock (freed at
    /// num_cpus == 0 with no live parent, which leaves vmblocks[] set) is dereferenced by the
    /// kernel: a use-after-free, reported as such.
    /// </summary>
    internal ThreadContext? IdToContext(ThreadId id, string path)
    {
        var vm = VmBlockOf(id.Vmidx);
        if (vm is null)
        {
            return null;
        }

        AssertNotFreed(vm, path);
        return id.Cpuidx <= (uint)(vm.MaxCpus - 1) ? vm.Contexts[id.Cpuidx] : null;
    }

    /// <summary>Every live context of the cluster in (vmidx, cpuidx) order.</summary>
    internal IEnumerable<ThreadContext> LiveContexts()
    {
        foreach (var vm in VmBlocks)
        {
            if (vm is null || vm.Freed)
            {
                continue;
            }

            foreach (var context in vm.Contexts)
            {
                if (context.Status != ContextStatus.Dead)
                {
                    yield return context;
                }
            }
        }
    }

    /// <summary>A vmblock touched after it was freed: a use-after-free, reported as a violation.</summary>
    internal static void AssertNotFreed(VmBlock vm, string what)
    {
        if (vm.Freed)
        {
            throw new KernelInvariantException("use-after-free", $"{what} touched freed {vm}");
        }
    }
}
