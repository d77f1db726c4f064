using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// Threads in libpthread (libs/posix/pthread/thread/pthread_thread.ref.c): create with the
/// trampoline and the ack handshake, join and detach with the joined / waiters / exiting / ack
/// semaphores and their ESRCH / EINVAL checks, and pthread_exit with the TLS destructors, the
/// deferred TCB free under pthread_exit_lock, [M]'s alive_count, and pthread_safe_death (unlock,
/// then trap0 5). main is detached and its TCB is static. Each function is a state machine
/// (<see cref="GuestRoutine"/>); the comments on the cases are the C statements they model.
/// </summary>
public static partial class PthreadThread
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
    public static long SelfTcb(GuestThread t) => t.Ugp;

    /// <summary>pthread_self: the raw kernel thread id.</summary>
    public static long Self(GuestThread t) => t.Id.Raw;

    /// <summary>pthread_create(out id, start pc, arg, attr): returns 0 or EAGAIN.</summary>
    public static GuestAction Create(long outId, long startPc, long arg, long attr) => Invoke(CreateRoutine, outId, startPc, arg, attr);

    /// <summary>pthread_join(id): returns 0, ESRCH or EINVAL; the joined thread's retval in <see cref="GuestThread.Returned2"/>.</summary>
    public static GuestAction Join(long id) => Invoke(JoinRoutine, id);

    /// <summary>pthread_detach(id): returns 0, ESRCH or EINVAL.</summary>
    public static GuestAction Detach(long id) => Invoke(DetachRoutine, id);

    /// <summary>pthread_exit(retval). Never returns.</summary>
    public static GuestAction Exit(long retval) => Invoke(ExitRoutine, retval);

    /// <summary>
    /// crt0 for a pthread VM: the library constructor (main's static TCB, detached), main (the
    /// entry point in Ref), then exit(main's return value) through sys_exit for this kernel.
    /// </summary>
    public static GuestAction MainRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                PthreadProcess.Start(t);
                return f.Then(1, Trap0(Trap0Numbers.ThreadId));
            case 1:
                var process = PthreadProcess.Of(t);
                var tcb = t.Allocate(TcbWords);
                t.Store(tcb + TcbId, t.Result);
                t.Store(tcb + TcbDetached, 1);
                process.MainTcb = tcb;
                t.Ugp = tcb;
                t.ThreadStopHook = ExitRoutine;
                return f.Then(2, ((GuestEntryPoint)f.Ref!).Start(t, 0));
            case 2:
                return f.Then(3, GuestLib.Exit(t.Returned));
            default:
                return Return();
        }
    }

    /// <summary>
    /// pthread_create: calloc the TCB, take the attributes, trap0 4 at the trampoline with arg = TCB;
    /// [K]/[M] alive_count++ right after the trap; add to the list under its lock; post ack.
    /// A0 out id, A1 start pc, A2 arg, A3 attr; L0 the TCB.
    /// </summary>
    private static GuestAction CreateRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                f.L0 = t.Allocate(TcbWords);
                for (var word = 0L; word < TcbWords; word++)
                {
                    t.Store(f.L0 + (8 * word), 0);
                }

                t.Store(f.L0 + TcbStartPc, f.A1);
                t.Store(f.L0 + TcbArg, f.A2);
                t.Store(f.L0 + TcbDetached, f.A3 == 0 ? 0 : PthreadAttr.Get(t, f.A3, PthreadAttr.DetachState));
                var prio = f.A3 == 0 ? KernelConstants.DefaultPthreadPrio : PthreadAttr.Get(t, f.A3, PthreadAttr.Priority);
                var stack = t.Allocate(1);
                return f.Then(2, Trap0(Trap0Numbers.ThreadCreate, process.TrampolinePc, (stack + 0x2000) & ~7L, f.L0, prio));
            case 2 when t.Result == -1:
                return Return(Errno.Eagain);
            case 2:
                t.Store(f.L0 + TcbId, t.Result);
                if (f.A0 != 0)
                {
                    t.Store(f.A0, t.Result);
                }

                if (process.Flavour is PthreadFlavour.Master or PthreadFlavour.Review)
                {
                    t.FetchAdd(process.AliveCount, 1);
                }

                return f.Then(3, PlainMutex.Lock(process.ListLock));
            case 3:
                process.Tcbs.Add(f.L0);
                return f.Then(4, PlainMutex.Unlock(process.ListLock));
            case 4:
                return f.Then(5, H2Sem.Up(f.L0 + TcbAck));
            default:
                return Return(Errno.Ok);
        }
    }

    /// <summary>The trampoline (arg = TCB): set UGP, wait on ack, run the start routine, pthread_exit(its return value).</summary>
    public static GuestAction Trampoline(GuestThread t, ref GuestFrame f)
    {
        var tcb = f.A0;
        switch (f.Pc)
        {
            case 0:
                t.Ugp = tcb;
                t.ThreadStopHook = ExitRoutine;
                return f.Then(1, H2Sem.Down(tcb + TcbAck));
            case 1:
                var start = t.System.Programs.At(t.Load(tcb + TcbStartPc));
                return f.Then(2, start.Start(t, t.Load(tcb + TcbArg)));
            case 2:
                return f.Then(3, Exit(t.Returned));
            default:
                return Return();
        }
    }

    /// <summary>Finds a TCB by id (A0) under the list lock; main's static TCB is not on the list. Returns the TCB or 0.</summary>
    private static GuestAction FindRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, PlainMutex.Lock(process.ListLock));
            case 1:
                f.L0 = process.FindTcb(t, f.A0);
                return f.Then(2, PlainMutex.Unlock(process.ListLock));
            default:
                return Return(f.L0);
        }
    }

    /// <summary>
    /// The check pthread_join and pthread_detach share: returns the TCB of thread A0 if it exists
    /// and is not detached; otherwise 0, with ESRCH or EINVAL in <see cref="GuestThread.Returned2"/>.
    /// </summary>
    private static GuestAction FindJoinableRoutine(GuestThread t, ref GuestFrame f)
    {
        if (f.Pc == 0)
        {
            return f.Then(1, Invoke(FindRoutine, f.A0));
        }

        var tcb = t.Returned;
        t.Returned2 = tcb == 0 ? Errno.Esrch : t.Load(tcb + TcbDetached) != 0 ? Errno.Einval : Errno.Ok;
        return Return(t.Returned2 == Errno.Ok ? tcb : 0);
    }

    /// <summary>
    /// pthread_join: ESRCH / EINVAL; waiters, read retval, post joined, wait exiting, post ack,
    /// lock/unlock pthread_exit_lock. No self-join check. A0 the id; L0 the TCB, L1 the retval.
    /// </summary>
    private static GuestAction JoinRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                return f.Then(2, Invoke(FindJoinableRoutine, f.A0));
            case 2 when t.Returned == 0:
                var rc = t.Returned2;
                t.Returned2 = 0;
                return Return(rc);
            case 2:
                f.L0 = t.Returned;
                return f.Then(3, H2Sem.Down(f.L0 + TcbWaiters));
            case 3:
                f.L1 = t.Load(f.L0 + TcbRetval);
                return f.Then(4, H2Sem.Up(f.L0 + TcbJoined));
            case 4:
                return f.Then(5, H2Sem.Down(f.L0 + TcbExiting));
            case 5:
                return f.Then(6, H2Sem.Up(f.L0 + TcbAck));
            case 6:
                return f.Then(7, PlainMutex.Lock(PthreadProcess.Of(t).ExitLock));
            case 7:
                return f.Then(8, PlainMutex.Unlock(PthreadProcess.Of(t).ExitLock));
            default:
                t.Returned2 = f.L1;
                return Return(Errno.Ok);
        }
    }

    /// <summary>pthread_detach: ESRCH / EINVAL; set detached; post joined (releasing a thread parked in pthread_exit).</summary>
    private static GuestAction DetachRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                return f.Then(2, Invoke(FindJoinableRoutine, f.A0));
            case 2 when t.Returned == 0:
                return Return(t.Returned2);
            case 2:
                t.Store(t.Returned + TcbDetached, 1);
                return f.Then(3, H2Sem.Up(t.Returned + TcbJoined));
            default:
                return Return(Errno.Ok);
        }
    }
}
