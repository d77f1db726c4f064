using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// h2_sem / POSIX sem (libs/h2 sem, libs/posix/semaphore): one futex word with the waiter count in
/// the high half and the value in the low half. Wait decrements with LL/SC or registers as a waiter
/// and FUTEX_WAITs on the word it registered, retrying on any -1 (the VMWORK gate's contract). Post
/// adds k, refused with EOVERFLOW past PTHREAD_SEM_VALUE_MAX_NP (0x7fff), and wakes k when waiters
/// are registered. sem_timedwait is sem_wait: no timer is ever armed.
/// </summary>
public static class H2Sem
{
    public const long ValueMax = 0x7fff;
    public const long WaiterUnit = 0x1_0000;
    private const long ValueMask = 0xffff;

    public static long ValueOf(long word) => word & ValueMask;

    public static long WaitersOf(long word) => word >> 16;

    /// <summary>sem_init / a static initialiser: value, no waiters.</summary>
    public static void Init(GuestThread t, long sem, long value) => t.Store(sem, value & ValueMask);

    /// <summary>sem_wait / h2_sem_down: returns only once it took one.</summary>
    public static GuestAction Down(long sem) => Invoke(DownRoutine, sem);

    /// <summary>sem_trywait: returns 0 with one unit taken, or EAGAIN.</summary>
    public static GuestAction TryDown(long sem) => Invoke(TryDownRoutine, sem);

    /// <summary>sem_post / h2_sem_up (sem_add by k): returns EOVERFLOW past 0x7fff, else 0.</summary>
    public static GuestAction Up(long sem, long count = 1) => Invoke(UpRoutine, sem, count);

    private static GuestAction DownRoutine(GuestThread t, ref GuestFrame f)
    {
        var atomic = t.System.Costs.GuestAtomicCycles;
        switch (f.Pc)
        {
            case 0:
                // One LL/SC: take a unit if there is one, else register as a waiter.
                var word = t.Load(f.A0);
                if (ValueOf(word) > 0)
                {
                    t.Store(f.A0, word - 1);
                    return f.Then(3, Spin(atomic));
                }

                f.L0 = word + WaiterUnit;
                t.Store(f.A0, f.L0);
                return f.Then(1, Spin(atomic));
            case 1:
                // 0 after a wake; -1 when the word moved (a post, another waiter) or spuriously: retry either way.
                return f.Then(2, Trap0(Trap0Numbers.FutexWait, f.A0, f.L0));
            case 2:
                t.FetchAdd(f.A0, -WaiterUnit);
                goto case 0;
            default:
                return Return();
        }
    }

    private static GuestAction TryDownRoutine(GuestThread t, ref GuestFrame f)
    {
        if (f.Pc != 0)
        {
            return Return(f.L0);
        }

        var word = t.Load(f.A0);
        if (ValueOf(word) > 0)
        {
            t.Store(f.A0, word - 1);
            f.L0 = Errno.Ok;
        }
        else
        {
            f.L0 = Errno.Eagain;
        }

        return f.Then(1, Spin(t.System.Costs.GuestAtomicCycles));
    }

    private static GuestAction UpRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                f.L0 = t.Load(f.A0);
                if (ValueOf(f.L0) + f.A1 > ValueMax)
                {
                    return f.Then(3, Spin(t.System.Costs.GuestAtomicCycles));
                }

                t.Store(f.A0, f.L0 + f.A1);
                return f.Then(1, Spin(t.System.Costs.GuestAtomicCycles));
            case 1 when WaitersOf(f.L0) != 0:
                return f.Then(2, Trap0(Trap0Numbers.FutexWake, f.A0, f.A1));
            case 1:
            case 2:
                return Return(Errno.Ok);
            default:
                return Return(Errno.Eoverflow);
        }
    }

    public static long GetValue(GuestThread t, long sem) => ValueOf(t.Load(sem));
}
