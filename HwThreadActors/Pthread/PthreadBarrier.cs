using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// pthread_barrier_* (libs/posix/pthread): one 64-bit word (threads_left, version, total, spins;
/// 16 bits each from the low end). A non-last waiter decrements and FUTEX_WAITs until the version
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

    /// <summary>pthread_barrier_wait: returns SERIAL for the last waiter of a round, 0 for the others.</summary>
    public static GuestAction Wait(long barrier) => Invoke(WaitRoutine, barrier);

    /// <summary>A0 barrier; L0 the word before my decrement, L1 the value the next wait expects, L2 the word after a wake.</summary>
    private static GuestAction WaitRoutine(GuestThread t, ref GuestFrame f)
    {
        var atomic = t.System.Costs.GuestAtomicCycles;
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                f.L0 = t.Load(f.A0);
                if (Left(f.L0) <= 1)
                {
                    t.Store(f.A0, Pack(Total(f.L0), Version(f.L0) + 1, Total(f.L0), Spins(f.L0)));
                    return f.Then(2, Spin(atomic));
                }

                t.Store(f.A0, f.L0 - 1);
                return f.Then(4, Spin(atomic));
            case 2:
                return f.Then(3, Trap0(Trap0Numbers.FutexWake, f.A0, Total(f.L0)));
            case 3:
                return Return(Errno.BarrierSerialThread);
            case 4:
                f.L1 = f.L0;
                return Spins(f.L0) > 0 ? f.Then(5, Spin((ulong)Spins(f.L0))) : Wait(ref f);
            case 5:
                return Wait(ref f);
            case 6:
                f.L2 = t.Load(f.A0);
                return f.Then(7, Spin(atomic));
            default:
                if (Version(f.L2) != Version(f.L0))
                {
                    return Return(Errno.Ok);
                }

                f.L1 = f.L2;
                return Wait(ref f);
        }
    }

    private static GuestAction Wait(ref GuestFrame f) => f.Then(6, Trap0(Trap0Numbers.FutexWait, f.A0, f.L1));
}

/// <summary>
/// pthread_rwlock_* (libs/posix/pthread): ENOSYS stubs. init returns 0; rdlock, wrlock, the try
/// forms and unlock return ENOSYS at once (the futex body after the early return is dead code).
/// </summary>
public static class PthreadRwlock
{
    public static long Init() => Errno.Ok;

    public static long Destroy() => Errno.Ok;

    public static long Operation() => Errno.Enosys;
}
