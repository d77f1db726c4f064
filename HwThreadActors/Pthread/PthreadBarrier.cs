using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// pthread_barrier_* (h2-domain.md §9): one 64-bit word (threads_left, version, total, spins; 16
/// bits each from the low end). A non-last waiter decrements and FUTEX_WAITs until the version
/// moves; its first wait compares against the word from before its own decrement, so it returns
/// -1 at once and the loop re-reads and waits again (the "first -1"). The last waiter bumps the
/// version, resets threads_left to total, FUTEX_WAKEs total and returns SERIAL.
/// </summary>
public static class PthreadBarrier
{
    private const long Field = 0xffff;

    public static long Left(long word) => word & Field;

    public static long Version(long word) => (word >> 16) & Field;

    public static long Total(long word) => (word >> 32) & Field;

    public static long Spins(long word) => (word >> 48) & Field;

    public static long Pack(long left, long version, long total, long spins) =>
        (left & Field) | ((version & Field) << 16) | ((total & Field) << 32) | ((spins & Field) << 48);

    /// <summary>pthread_barrier_init: EINVAL for a count of 0.</summary>
    public static long Init(GuestThread t, long barrier, long count)
    {
        if (count <= 0 || count > Field)
        {
            return Errno.Einval;
        }

        t.Store(barrier, Pack(count, 0, count, 0));
        return Errno.Ok;
    }

    public static IEnumerable<GuestAction> Wait(GuestThread t, long barrier, Out rc)
    {
        var atomic = t.System.Costs.GuestAtomicCycles;
        yield return Spin(t.System.Costs.GuestCallCycles);
        var old = t.Load(barrier);
        if (Left(old) <= 1)
        {
            t.Store(barrier, Pack(Total(old), Version(old) + 1, Total(old), Spins(old)));
            yield return Spin(atomic);
            yield return Trap0(Trap0Numbers.FutexWake, barrier, Total(old));
            rc.Value = Errno.BarrierSerialThread;
            yield break;
        }

        t.Store(barrier, old - 1);
        yield return Spin(atomic);
        if (Spins(old) > 0)
        {
            yield return Spin((ulong)Spins(old));
        }

        var expected = old;
        while (true)
        {
            yield return Trap0(Trap0Numbers.FutexWait, barrier, expected);
            var now = t.Load(barrier);
            yield return Spin(atomic);
            if (Version(now) != Version(old))
            {
                rc.Value = Errno.Ok;
                yield break;
            }

            expected = now;
        }
    }
}

/// <summary>
/// pthread_rwlock_* (h2-domain.md §9): ENOSYS stubs. init returns 0; rdlock, wrlock, the try
/// forms and unlock return ENOSYS at once (the futex body after the early return is dead code).
/// </summary>
public static class PthreadRwlock
{
    public static long Init() => Errno.Ok;

    public static long Destroy() => Errno.Ok;

    public static long Operation() => Errno.Enosys;
}
