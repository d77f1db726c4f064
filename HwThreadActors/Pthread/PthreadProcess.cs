using System.Runtime.CompilerServices;
using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>Which libpthread is linked: the library changed with each kernel design (h2-domain.md §7, §9).</summary>
public enum PthreadFlavour
{
    /// <summary>[B]: no alive_count; sys_exit(0) → the hook (pthread_exit) → trap 5.</summary>
    Base,

    /// <summary>[P]: sys_exit → trap 7; main's static TCB is never queued for the deferred free (5619bf83).</summary>
    Pr39,

    /// <summary>[K]/[M]: alive_count; the last pthread_exit kills the VM (VMOP_KILL_VM SELF) then stops.</summary>
    Master,

    /// <summary>
    /// [V] review: [M]'s library, with exit() and the last pthread_exit split as the review asks:
    /// the library stops all other pthreads (VMOP_KILL_THREAD each), then asks the kernel to stop
    /// the VM (VMOP_KILL_VM SELF).
    /// </summary>
    Review,
}

/// <summary>
/// The library's globals for one VM boot (libs/posix/pthread): the TCB list and its plainmutex,
/// pthread_exit_lock, the deferred-free slot, [M]'s alive_count, the TLS key table and its lock,
/// and each context's UGP (the TCB pointer). Words that a futex or a PI lock uses live in the VM's
/// memory; the list itself is host state guarded by the guest's plainmutex, as in C.
/// </summary>
public sealed class PthreadProcess
{
    private static readonly ConditionalWeakTable<VmBlock, PthreadProcess> Processes = new();

    private PthreadProcess(GuestThread t)
    {
        Flavour = t.Kernel switch
        {
            KernelVariant.Base => PthreadFlavour.Base,
            KernelVariant.Pr39 => PthreadFlavour.Pr39,
            KernelVariant.Review => PthreadFlavour.Review,
            _ => PthreadFlavour.Master,
        };
        Boot = t.Load(t.Address("pthread.boot")) + 1;
        t.Store(t.Address("pthread.boot"), Boot);
        ListLock = t.Address($"pthread.list_lock@{Boot}");
        ExitLock = t.Address($"pthread.exit_lock@{Boot}");
        KeyLock = t.Address($"pthread.key_lock@{Boot}");
        KeysValid = t.Address($"pthread.keys_valid@{Boot}");
        KeyDestructors = t.Address($"pthread.key_dtors@{Boot}", PthreadKeys.KeysMax);
        AliveCount = t.Address($"pthread.alive_count@{Boot}");
        t.Store(AliveCount, 1);
        TrampolinePc = t.PcOf(PthreadThread.TrampolineName);
    }

    /// <summary>Where every pthread_create starts a thread (the library's trampoline).</summary>
    public long TrampolinePc { get; }

    public PthreadFlavour Flavour { get; }

    /// <summary>Which boot of the VM this is (a reboot starts the library afresh).</summary>
    public long Boot { get; }

    public long ListLock { get; }

    public long ExitLock { get; }

    public long KeyLock { get; }

    public long KeysValid { get; }

    public long KeyDestructors { get; }

    /// <summary>[K]/[M]/[V]: live pthreads, 1 for main at start, +1 per successful create, -1 per pthread_exit.</summary>
    public long AliveCount { get; }

    /// <summary>main's TCB, in static storage.</summary>
    public long MainTcb { get; set; }

    /// <summary>main reached pthread_safe_death's trap 5: its id may now name a new thread, so stop-all skips it.</summary>
    public bool MainExited { get; set; }

    /// <summary>The TCB list (pthread_create adds, pthread_exit removes), in creation order.</summary>
    public List<long> Tcbs { get; } = new();

    /// <summary>The previous exiter's TCB, freed by the next exiter under pthread_exit_lock; 0 when none.</summary>
    public long DeferredFree { get; set; }

    /// <summary>TCBs the deferred free released (observable by tests).</summary>
    public List<long> Freed { get; } = new();

    /// <summary>R10: times the deferred free released main's static TCB (undefined behaviour in C).</summary>
    public int StaticTcbFrees { get; set; }

    /// <summary>The library state of the thread's VM; created by main's constructor, kept by the thread once looked up.</summary>
    public static PthreadProcess Of(GuestThread t)
    {
        if (t.Library is PthreadProcess cached)
        {
            return cached;
        }

        if (!Processes.TryGetValue(t.Vm, out var process))
        {
            throw new InvalidOperationException($"{t.Vm}: the pthread library is not initialised (main did not run its constructor)");
        }

        t.Library = process;
        return process;
    }

    /// <summary>The TCB of thread <paramref name="id"/> on the list, else main's if the id is main's, else 0.</summary>
    public long FindTcb(GuestThread t, long id)
    {
        foreach (var tcb in Tcbs)
        {
            if (t.Load(tcb + PthreadThread.TcbId) == id)
            {
                return tcb;
            }
        }

        return t.Load(MainTcb + PthreadThread.TcbId) == id ? MainTcb : 0;
    }

    /// <summary>pthread_exit's deferred free: release the previous exiter's TCB, queue <paramref name="tcb"/> ([P]: never main's).</summary>
    public void FreeDeferred(long tcb)
    {
        if (DeferredFree != 0)
        {
            Freed.Add(DeferredFree);
            if (DeferredFree == MainTcb)
            {
                // R10: free() of a static TCB is undefined behaviour in C; the model only counts it.
                StaticTcbFrees++;
            }
        }

        DeferredFree = Flavour == PthreadFlavour.Pr39 && tcb == MainTcb ? 0 : tcb;
    }

    /// <summary>The constructor that runs before main: a fresh library for this boot.</summary>
    public static PthreadProcess Start(GuestThread t)
    {
        var process = new PthreadProcess(t);
        Processes.AddOrUpdate(t.Vm, process);
        t.Library = process;
        return process;
    }

    /// <summary>Adds the library's host-side state of <paramref name="vm"/> (the TCB list, deferred frees; each thread's UGP is in its guest state) to a state fingerprint.</summary>
    public static void Fingerprint(VmBlock vm, ref System.StateHasher h)
    {
        if (!Processes.TryGetValue(vm, out var process))
        {
            return;
        }

        h.Add(process.Boot);
        h.Add(process.MainTcb);
        h.Add(process.DeferredFree);
        h.Add(process.StaticTcbFrees);
        foreach (var tcb in process.Tcbs)
        {
            h.Add(tcb);
        }

        foreach (var tcb in process.Freed)
        {
            h.Add(tcb);
        }
    }

    public static bool IsLinked(GuestThread t) => Processes.TryGetValue(t.Vm, out _);
}
