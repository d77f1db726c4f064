using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// pthread_cond_* (h2-domain.md §9): one futex word, waiters in the high half and a counter in the
/// low half. Wait reads the counter, unlocks the mutex, registers as a waiter if the counter has
/// not moved, and FUTEX_WAITs; after any return it re-reads and blocks again while the counter is
/// unchanged (which absorbs the spurious -1), then deregisters and relocks. Signal/broadcast bump
/// the counter and FUTEX_WAKE 1 or 0x7fff if anyone is registered. timedwait never blocks in the
/// kernel: it yields in a loop until the counter moves or the absolute deadline
/// (tv_sec&lt;&lt;30 | tv_nsec) is behind pcycles&lt;&lt;10 — so a small deadline has already passed.
/// </summary>
public static class PthreadCond
{
    public const long WakeAll = 0x7fff;
    private const long WaiterUnit = 0x1_0000;
    private const long CounterMask = 0xffff;

    public static void Init(GuestThread t, long cond) => t.Store(cond, 0);

    public static IEnumerable<GuestAction> Wait(GuestThread t, long cond, long mutex)
    {
        var atomic = t.System.Costs.GuestAtomicCycles;
        yield return Spin(t.System.Costs.GuestCallCycles);
        var counter = t.Load(cond) & CounterMask;
        yield return Call(PthreadMutex.Unlock(t, mutex));

        var word = t.Load(cond);
        if ((word & CounterMask) == counter)
        {
            word += WaiterUnit;
            t.Store(cond, word);
            yield return Spin(atomic);
            while (true)
            {
                yield return Trap0(Trap0Numbers.FutexWait, cond, word);
                word = t.Load(cond);
                yield return Spin(atomic);
                if ((word & CounterMask) != counter)
                {
                    break;
                }
            }

            t.FetchAdd(cond, -WaiterUnit);
        }

        yield return Call(PthreadMutex.Lock(t, mutex));
    }

    public static IEnumerable<GuestAction> Signal(GuestThread t, long cond) => Wake(t, cond, 1);

    public static IEnumerable<GuestAction> Broadcast(GuestThread t, long cond) => Wake(t, cond, WakeAll);

    private static IEnumerable<GuestAction> Wake(GuestThread t, long cond, long count)
    {
        yield return Spin(t.System.Costs.GuestCallCycles);
        var word = t.Load(cond);
        t.Store(cond, (word & ~CounterMask) | ((word + 1) & CounterMask));
        yield return Spin(t.System.Costs.GuestAtomicCycles);
        if ((word >> 16) == 0)
        {
            yield break;
        }

        do
        {
            yield return Trap0(Trap0Numbers.FutexWake, cond, count);
        }
        while (t.Result == -1);
    }

    /// <summary>The absolute deadline as the library encodes it: tv_sec&lt;&lt;30 | tv_nsec.</summary>
    public static long Deadline(long seconds, long nanoseconds) => (seconds << 30) | nanoseconds;

    public static IEnumerable<GuestAction> TimedWait(GuestThread t, long cond, long mutex, long deadline, Out rc)
    {
        yield return Spin(t.System.Costs.GuestCallCycles);
        var counter = t.Load(cond) & CounterMask;
        yield return Call(PthreadMutex.Unlock(t, mutex));
        while (true)
        {
            yield return Spin(t.System.Costs.GuestAtomicCycles);
            if ((t.Load(cond) & CounterMask) != counter)
            {
                rc.Value = Errno.Ok;
                break;
            }

            if ((long)(t.Now << 10) >= deadline)
            {
                rc.Value = Errno.Etimedout;
                break;
            }

            yield return Trap0(Trap0Numbers.Yield);
        }

        yield return Call(PthreadMutex.Lock(t, mutex));
    }
}
