using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// pthread_cond_* (libs/posix/pthread): one futex word, waiters in the high half and a counter in
/// the low half. Wait reads the counter, unlocks the mutex, registers as a waiter if the counter
/// has not moved, and FUTEX_WAITs; after any return it re-reads and blocks again while the counter
/// is unchanged (which absorbs the spurious -1), then deregisters and relocks. Signal/broadcast
/// bump the counter and FUTEX_WAKE 1 or 0x7fff if anyone is registered. timedwait never blocks in
/// the kernel: it yields in a loop until the counter moves or the absolute deadline
/// (tv_sec&lt;&lt;30 | tv_nsec) is behind pcycles&lt;&lt;10 — so a small deadline has already passed.
/// </summary>
public static class PthreadCond
{
    public const long WakeAll = 0x7fff;
    private const long WaiterUnit = 0x1_0000;
    private const long CounterMask = 0xffff;

    public static void Init(GuestThread t, long cond) => t.Store(cond, 0);

    public static GuestAction Wait(long cond, long mutex) => Invoke(WaitRoutine, cond, mutex);

    public static GuestAction Signal(long cond) => Invoke(WakeRoutine, cond, 1);

    public static GuestAction Broadcast(long cond) => Invoke(WakeRoutine, cond, WakeAll);

    /// <summary>pthread_cond_timedwait: returns 0 when signalled, ETIMEDOUT past the deadline.</summary>
    public static GuestAction TimedWait(long cond, long mutex, long deadline) => Invoke(TimedWaitRoutine, cond, mutex, deadline);

    /// <summary>A0 cond, A1 mutex; L0 the counter when I started, L1 the word I wait on.</summary>
    private static GuestAction WaitRoutine(GuestThread t, ref GuestFrame f)
    {
        var atomic = t.System.Costs.GuestAtomicCycles;
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                f.L0 = t.Load(f.A0) & CounterMask;
                return f.Then(2, PthreadMutex.Unlock(f.A1));
            case 2:
                f.L1 = t.Load(f.A0);
                if ((f.L1 & CounterMask) != f.L0)
                {
                    goto case 6;
                }

                f.L1 += WaiterUnit;
                t.Store(f.A0, f.L1);
                return f.Then(3, Spin(atomic));
            case 3:
                return f.Then(4, Trap0(Trap0Numbers.FutexWait, f.A0, f.L1));
            case 4:
                f.L1 = t.Load(f.A0);
                return f.Then(5, Spin(atomic));
            case 5 when (f.L1 & CounterMask) == f.L0:
                goto case 3;
            case 5:
                t.FetchAdd(f.A0, -WaiterUnit);
                goto case 6;
            case 6:
                return f.Then(7, PthreadMutex.Lock(f.A1));
            default:
                return Return();
        }
    }

    /// <summary>A0 cond, A1 how many to wake; L0 the word before the bump.</summary>
    private static GuestAction WakeRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                f.L0 = t.Load(f.A0);
                t.Store(f.A0, (f.L0 & ~CounterMask) | ((f.L0 + 1) & CounterMask));
                return f.Then(2, Spin(t.System.Costs.GuestAtomicCycles));
            case 2 when (f.L0 >> 16) == 0:
                return Return();
            case 2:
                return f.Then(3, Trap0(Trap0Numbers.FutexWake, f.A0, f.A1));
            default:
                return t.Result == -1 ? f.Then(3, Trap0(Trap0Numbers.FutexWake, f.A0, f.A1)) : Return();
        }
    }

    /// <summary>The absolute deadline as the library encodes it: tv_sec&lt;&lt;30 | tv_nsec.</summary>
    public static long Deadline(long seconds, long nanoseconds) => (seconds << 30) | nanoseconds;

    /// <summary>A0 cond, A1 mutex, A2 deadline; L0 the counter when I started, L1 the return code.</summary>
    private static GuestAction TimedWaitRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                f.L0 = t.Load(f.A0) & CounterMask;
                return f.Then(2, PthreadMutex.Unlock(f.A1));
            case 2:
                return f.Then(3, Spin(t.System.Costs.GuestAtomicCycles));
            case 3:
                if ((t.Load(f.A0) & CounterMask) != f.L0)
                {
                    f.L1 = Errno.Ok;
                    goto case 4;
                }

                if ((long)(t.Now << 10) >= f.A2)
                {
                    f.L1 = Errno.Etimedout;
                    goto case 4;
                }

                return f.Then(2, Trap0(Trap0Numbers.Yield));
            case 4:
                return f.Then(5, PthreadMutex.Lock(f.A1));
            default:
                return Return(f.L1);
        }
    }
}
