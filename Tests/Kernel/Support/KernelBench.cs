using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using Xunit;

namespace H2Sim.Tests.Kernel.Support;

/// <summary>
/// A real <see cref="KernelActors.Kernel"/> of one cluster of four hthreads, set up the way the upstream
/// standalone kernel tests set theirs up (h2-domain.md §11.8): the boot VM (vmidx 1) with its one
/// context RUNNING on hthread 3, so it is a live parent that no dosched on hthreads 0..2 picks,
/// and a test VM (vmidx 2, 32 vCPUs) configured by it. Helpers put contexts of the test VM into
/// each status through the kernel's own paths (thread create, runlist push, futex wait, popup
/// wait, intpool wait, vmwait). The caller acts as the trap entry: it holds the BKL implicitly.
/// </summary>
public sealed class KernelBench
{
    public const long EntryPc = 0x1_0000;
    public const long StackPointer = 0x8000;
    public const int WorkerPrio = 100;
    public const int BooterHThread = 3;

    public KernelBench(KernelVariant variant, KernelBug bugs = KernelBug.None)
    {
        Effects = new RecordingKernelEffects();
        Kernel = new KernelActors.Kernel(cluster: 0, hthreads: 4, variant, bugs, CostModel.Defaults, Effects, seed: 1);

        // As at boot: every hthread idle (ClusterRuntime.Start); the booter then runs on hthread 3.
        Kernel.WaitMask = Kernel.AllHThreadsMask;
        Kernel.PrioMask = Kernel.AllHThreadsMask;
        Booter = Place(Kernel.SetupBootVm("booter", EntryPc, bestPrio: 1), BooterHThread);
        Vm = NewVm("test", Booter);
        Effects.Clear();
    }

    public KernelActors.Kernel Kernel { get; }

    public RecordingKernelEffects Effects { get; }

    /// <summary>The boot VM's context (vmidx 1): the live parent of the VMs it configures.</summary>
    public ThreadContext Booter { get; }

    /// <summary>The test VM (vmidx 2), configured by <see cref="Booter"/>.</summary>
    public VmBlock Vm { get; }

    /// <summary>A guest word of the test VM, 8-byte aligned, distinct per <paramref name="index"/>.</summary>
    public static long Word(int index) => 0x2000 + (8L * index);

    /// <summary>CONFIG_VMBLOCK_INIT(SET_CPUS_INTS) with 32 vCPUs on behalf of <paramref name="parent"/> (null: no parent).</summary>
    public VmBlock NewVm(string name, ThreadContext? parent, int maxCpus = 32)
    {
        var vmidx = Kernel.ConfigVmblockInit(parent, maxCpus, 0, name);
        Assert.True(vmidx > 0, $"no vmblock slot for {name}");
        return Kernel.VmBlocks[vmidx]!;
    }

    /// <summary>H2K_thread_create_no_squash in <paramref name="vm"/> (default the test VM): a READY context.</summary>
    public ThreadContext Create(VmBlock? vm = null, int prio = WorkerPrio)
    {
        var raw = Kernel.ThreadCreateNoSquash(EntryPc, StackPointer, 0, prio, vm ?? Vm, creator: null);
        Assert.True(raw > 0, "thread create failed");
        var context = Kernel.IdToContext(new ThreadId((uint)raw), "test")!;
        Assert.Equal(ContextStatus.Ready, context.Status);
        return context;
    }

    /// <summary>
    /// H2K_vm_ipi_do as hthread <paramref name="hthread"/> runs it: steps 1–2 without the BKL, then,
    /// on [M] with a context running there, the follow-up section of step 3 (BKL,
    /// H2K_vm_do_work_withlock) on whatever context runs on the hthread by then.
    /// </summary>
    public void VmIpiDo(ThreadContext? me, int hthread)
    {
        Kernel.BeginSection(hthread);
        Kernel.Execute(new KernelEntry(EntryKind.Interrupt, KernelConstants.VmIpiInt), me, hthread);
        if (Kernel.FollowUp is { Kind: EntryKind.Internal, Number: (int)InternalPath.VmIpiWork } work)
        {
            Kernel.BeginSection(hthread);
            Kernel.Execute(work, Kernel.Runlist[hthread], hthread);
        }

        Kernel.EndSection();
    }

    /// <summary>Takes a READY context off its ready ring and makes it RUNNING on <paramref name="hthread"/> (dosched's runlist_push).</summary>
    public ThreadContext Place(ThreadContext context, int hthread)
    {
        Kernel.ReadyRemove(context);
        Kernel.LeaveIdle(hthread);
        Kernel.RunlistPush(context, hthread);
        return context;
    }

    /// <summary>A new context of <paramref name="vm"/> RUNNING on <paramref name="hthread"/>.</summary>
    public ThreadContext Running(int hthread, VmBlock? vm = null, int prio = WorkerPrio) => Place(Create(vm, prio), hthread);

    /// <summary>A context BLOCKED in FUTEX_WAIT on <paramref name="address"/> (reached from RUNNING on <paramref name="hthread"/>).</summary>
    public ThreadContext Blocked(long address, VmStatusBits bits = VmStatusBits.None, int hthread = 0)
    {
        var context = Prepared(hthread, bits);
        Kernel.FutexWait(context, address, context.VmBlock.Read(address));
        Assert.Equal(ContextStatus.Blocked, context.Status);
        return context;
    }

    /// <summary>A context INTBLOCKED in popup wait on interrupt <paramref name="intno"/>.</summary>
    public ThreadContext PopupWaiter(int intno, VmStatusBits bits = VmStatusBits.None, int hthread = 0)
    {
        var context = Prepared(hthread, bits);
        Kernel.PopupWait(context, intno);
        Assert.Equal(ContextStatus.IntBlocked, context.Status);
        return context;
    }

    /// <summary>A context INTBLOCKED in intpool wait (in the vmblock's intpool ring, r00 = -1).</summary>
    public ThreadContext IntpoolWaiter(VmStatusBits bits = VmStatusBits.None, int hthread = 0)
    {
        var context = Prepared(hthread, bits);
        Kernel.IntpoolWait(context);
        Assert.Equal(ContextStatus.IntBlocked, context.Status);
        return context;
    }

    /// <summary>A context in VMWAIT (vmtrap 16 with nothing pending; its waiting_cpus bit set).</summary>
    public ThreadContext VmWaiter(VmStatusBits bits = VmStatusBits.None, int hthread = 0)
    {
        var context = Prepared(hthread, bits);
        Kernel.VmTrapWait(context);
        Assert.Equal(ContextStatus.VmWait, context.Status);
        return context;
    }

    /// <summary>True when <paramref name="context"/> is somewhere in a ready ring.</summary>
    public bool InReadyRing(ThreadContext context) =>
        Enumerable.Range(0, KernelConstants.MaxPrios).Any(p => Ring.Enumerate(Kernel.Ready[p]).Contains(context));

    /// <summary>True when <paramref name="context"/> is somewhere in a futex bucket.</summary>
    public bool InFutexHash(ThreadContext context) => Kernel.FutexHash.Any(head => Ring.Enumerate(head).Contains(context));

    /// <summary>True when <paramref name="context"/> is on its vmblock's free list.</summary>
    public static bool OnFreeList(ThreadContext context)
    {
        for (var node = context.VmBlock.FreeThreads; node is not null; node = node.Next)
        {
            if (node == context)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A RUNNING context about to block. Nothing else may be ready, so the dosched of its commit
    /// leaves the hthread idle instead of picking up a context the test set up.
    /// </summary>
    private ThreadContext Prepared(int hthread, VmStatusBits bits)
    {
        Assert.Equal(KernelConstants.MaxPrios, Kernel.ReadyBestPrio());
        var context = Running(hthread);
        context.VmStatus |= bits;
        return context;
    }
}
