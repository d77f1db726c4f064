using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// Threads in libpthread (libs/posix/pthread/thread/pthread_thread.ref.c, h2-domain.md §9, §7):
/// create with the trampoline and the ack handshake, join and detach with the joined / waiters /
/// exiting / ack semaphores and their ESRCH / EINVAL checks, and pthread_exit with the TLS
/// destructors, the deferred TCB free under pthread_exit_lock, [M]'s alive_count, and
/// pthread_safe_death (unlock, then trap0 5). main is detached and its TCB is static.
/// </summary>
public static class PthreadThread
{
    public const string TrampolineName = "pthread_start";
    public const long DefaultStackSize = 8192;

    // TCB words (calloc'ed by pthread_create, static for main).
    public const long TcbId = 0;
    public const long TcbDetached = 8;
    public const long TcbRetval = 16;
    public const long TcbJoined = 24;
    public const long TcbWaiters = 32;
    public const long TcbExiting = 40;
    public const long TcbAck = 48;
    public const long TcbStartPc = 56;
    public const long TcbArg = 64;
    public const long TcbKeyTable = 72;
    private const int TcbWords = 10;

    /// <summary>The TCB of the calling thread (its UGP register); 0 for a thread the library did not start.</summary>
    public static long SelfTcb(GuestThread t) => PthreadProcess.Of(t).Ugp.GetValueOrDefault(t.Id.Raw);

    /// <summary>pthread_self: the raw kernel thread id.</summary>
    public static long Self(GuestThread t) => t.Id.Raw;

    /// <summary>crt0 for a pthread VM: the library constructor, main, then exit(return value).</summary>
    public static IEnumerable<GuestAction> RunMain(GuestThread t, PthreadRoutine main)
    {
        var process = PthreadProcess.Start(t);
        yield return Trap0(Trap0Numbers.ThreadId);
        var tcb = t.Address($"pthread.main_tcb@{process.Boot}", TcbWords);
        t.Store(tcb + TcbId, t.Result);
        t.Store(tcb + TcbDetached, 1);
        process.MainTcb = tcb;
        process.Ugp[t.Id.Raw] = tcb;
        t.ThreadStopHook = th => Exit(th, 0);

        var ret = new Out();
        yield return Call(main(t, 0, ret));
        yield return Call(GuestLib.SysExit(t, ret.Value));
    }

    /// <summary>
    /// pthread_create: calloc the TCB, take the attributes, trap0 4 at the trampoline with arg = TCB;
    /// [K]/[M] alive_count++ right after the trap; add to the list under its lock; post ack.
    /// </summary>
    public static IEnumerable<GuestAction> Create(GuestThread t, long outId, long startPc, long arg, long attr, Out rc)
    {
        var process = PthreadProcess.Of(t);
        yield return Spin(t.System.Costs.GuestCallCycles);
        var number = process.NextTcbNumber++;
        var tcb = t.Address($"pthread.tcb#{number}@{process.Boot}", TcbWords);
        for (var word = 0L; word < TcbWords; word++)
        {
            t.Store(tcb + (8 * word), 0);
        }

        t.Store(tcb + TcbStartPc, startPc);
        t.Store(tcb + TcbArg, arg);
        t.Store(tcb + TcbDetached, attr == 0 ? 0 : PthreadAttr.Get(t, attr, PthreadAttr.DetachState));
        var prio = attr == 0 ? KernelConstants.DefaultPthreadPrio : PthreadAttr.Get(t, attr, PthreadAttr.Priority);
        var stack = t.Address($"pthread.stack#{number}@{process.Boot}");

        yield return Trap0(Trap0Numbers.ThreadCreate, t.PcOf(TrampolineName), (stack + 0x2000) & ~7L, tcb, prio);
        if (t.Result == -1)
        {
            rc.Value = Errno.Eagain;
            yield break;
        }

        var id = t.Result;
        t.Store(tcb + TcbId, id);
        if (outId != 0)
        {
            t.Store(outId, id);
        }

        if (process.Flavour == PthreadFlavour.Master)
        {
            t.FetchAdd(process.AliveCount, 1);
        }

        yield return Call(PlainMutex.Lock(t, process.ListLock));
        process.Tcbs.Add(tcb);
        yield return Call(PlainMutex.Unlock(t, process.ListLock));
        yield return Call(H2Sem.Up(t, tcb + TcbAck, 1));
        rc.Value = Errno.Ok;
    }

    /// <summary>The trampoline: set UGP, wait on ack, run the start routine, pthread_exit(its return value).</summary>
    public static IEnumerable<GuestAction> Trampoline(GuestThread t)
    {
        var process = PthreadProcess.Of(t);
        var tcb = t.Arg;
        process.Ugp[t.Id.Raw] = tcb;
        t.ThreadStopHook = th => Exit(th, 0);
        yield return Call(H2Sem.Down(t, tcb + TcbAck));

        var ret = new Out();
        var routine = PthreadRoutines.At(t, t.Load(tcb + TcbStartPc));
        yield return Call(routine(t, t.Load(tcb + TcbArg), ret));
        yield return Call(Exit(t, ret.Value));
    }

    /// <summary>
    /// The check pthread_join and pthread_detach share: the TCB of <paramref name="id"/> if the
    /// thread exists and is not detached; otherwise 0, with <paramref name="rc"/> ESRCH or EINVAL.
    /// </summary>
    private static IEnumerable<GuestAction> FindJoinable(GuestThread t, long id, Out tcb, Out rc)
    {
        yield return Call(Find(t, id, tcb));
        if (tcb.Value == 0)
        {
            rc.Value = Errno.Esrch;
            yield break;
        }

        if (t.Load(tcb.Value + TcbDetached) != 0)
        {
            rc.Value = Errno.Einval;
            tcb.Value = 0;
        }
    }

    /// <summary>Finds a TCB by id under the list lock (main's static TCB is not on the list).</summary>
    private static IEnumerable<GuestAction> Find(GuestThread t, long id, Out tcb)
    {
        var process = PthreadProcess.Of(t);
        yield return Call(PlainMutex.Lock(t, process.ListLock));
        tcb.Value = process.Tcbs.FirstOrDefault(candidate => t.Load(candidate + TcbId) == id);
        if (tcb.Value == 0 && t.Load(process.MainTcb + TcbId) == id)
        {
            tcb.Value = process.MainTcb;
        }

        yield return Call(PlainMutex.Unlock(t, process.ListLock));
    }

    /// <summary>pthread_join: ESRCH / EINVAL; waiters, read retval, post joined, wait exiting, post ack, lock/unlock pthread_exit_lock. No self-join check.</summary>
    public static IEnumerable<GuestAction> Join(GuestThread t, long id, Out rc, Out? retval = null)
    {
        var process = PthreadProcess.Of(t);
        yield return Spin(t.System.Costs.GuestCallCycles);
        var found = new Out();
        yield return Call(FindJoinable(t, id, found, rc));
        var tcb = found.Value;
        if (tcb == 0)
        {
            yield break;
        }

        yield return Call(H2Sem.Down(t, tcb + TcbWaiters));
        retval?.Value = t.Load(tcb + TcbRetval);
        yield return Call(H2Sem.Up(t, tcb + TcbJoined, 1));
        yield return Call(H2Sem.Down(t, tcb + TcbExiting));
        yield return Call(H2Sem.Up(t, tcb + TcbAck, 1));
        yield return Call(PlainMutex.Lock(t, process.ExitLock));
        yield return Call(PlainMutex.Unlock(t, process.ExitLock));
        rc.Value = Errno.Ok;
    }

    /// <summary>pthread_detach: ESRCH / EINVAL; set detached; post joined (releasing a thread parked in pthread_exit).</summary>
    public static IEnumerable<GuestAction> Detach(GuestThread t, long id, Out rc)
    {
        yield return Spin(t.System.Costs.GuestCallCycles);
        var found = new Out();
        yield return Call(FindJoinable(t, id, found, rc));
        var tcb = found.Value;
        if (tcb == 0)
        {
            yield break;
        }

        t.Store(tcb + TcbDetached, 1);
        yield return Call(H2Sem.Up(t, tcb + TcbJoined, 1));
        rc.Value = Errno.Ok;
    }

    /// <summary>pthread_exit (§9 steps 1–7). Never returns.</summary>
    public static IEnumerable<GuestAction> Exit(GuestThread t, long retval)
    {
        var process = PthreadProcess.Of(t);
        var tcb = SelfTcb(t);
        yield return Spin(t.System.Costs.GuestCallCycles);

        // 1. retval, post waiters.
        t.Store(tcb + TcbRetval, retval);
        yield return Call(H2Sem.Up(t, tcb + TcbWaiters, 1));

        // 2. [K]/[M]: the last live pthread kills the VM (reaping zombie joinables), then stops.
        if (process.Flavour == PthreadFlavour.Master)
        {
            var alive = t.FetchAdd(process.AliveCount, -1) - 1;
            yield return Spin(t.System.Costs.GuestAtomicCycles);
            if (alive == 0)
            {
                yield return Trap0(Trap0Numbers.VmOp, VmOp.KillVm, VmOp.KillVmSelf, 0);
                yield return Trap0(Trap0Numbers.ThreadStop, 0);
            }
        }

        // 3. A joinable thread waits until it is joined (or detached).
        if (t.Load(tcb + TcbDetached) == 0)
        {
            yield return Call(H2Sem.Down(t, tcb + TcbJoined));
        }

        // 4. Off the list; TLS-key destructors.
        yield return Call(PlainMutex.Lock(t, process.ListLock));
        process.Tcbs.Remove(tcb);
        yield return Call(PlainMutex.Unlock(t, process.ListLock));
        yield return Call(PthreadKeys.RunDestructors(t, tcb));

        // 5. Deferred free: release the previous exiter's TCB and stack, queue mine ([P]: never main's).
        yield return Call(PlainMutex.Lock(t, process.ExitLock));
        if (process.DeferredFree != 0)
        {
            process.Freed.Add(process.DeferredFree);
            if (process.DeferredFree == process.MainTcb)
            {
                // R10: free() of a static TCB — undefined behaviour in C; the model only counts it.
                process.StaticTcbFrees++;
            }
        }

        process.DeferredFree = process.Flavour == PthreadFlavour.Pr39 && tcb == process.MainTcb ? 0 : tcb;

        // 6. A joinable thread hands over to its joiner.
        if (t.Load(tcb + TcbDetached) == 0)
        {
            yield return Call(H2Sem.Up(t, tcb + TcbExiting, 1));
            yield return Call(H2Sem.Down(t, tcb + TcbAck));
        }

        // 7. pthread_safe_death: unlock pthread_exit_lock until it succeeds, then stop.
        var unlocked = new Out();
        do
        {
            yield return Call(PlainMutex.Unlock(t, process.ExitLock, unlocked));
        }
        while (unlocked.Value != 0);

        process.Ugp.Remove(t.Id.Raw);
        yield return Trap0(Trap0Numbers.ThreadStop, 0);
    }
}
