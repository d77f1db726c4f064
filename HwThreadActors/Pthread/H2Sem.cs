using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// h2_sem / POSIX sem (libs/h2 sem, libs/posix/semaphore; h2-domain.md §9): one futex word with the
/// waiter count in the high half and the value in the low half. Wait decrements with LL/SC or
/// registers as a waiter and FUTEX_WAITs on the word it registered, retrying on any -1 (§5.7).
/// Post adds k, refused with EOVERFLOW past PTHREAD_SEM_VALUE_MAX_NP (0x7fff), and wakes k when
/// waiters are registered. sem_timedwait is sem_wait: no timer is ever armed (§5.6).
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
    public static IEnumerable<GuestAction> Down(GuestThread t, long sem)
    {
        var atomic = t.System.Costs.GuestAtomicCycles;
        while (true)
        {
            // One LL/SC: take a unit if there is one, else register as a waiter.
            var word = t.Load(sem);
            if (ValueOf(word) > 0)
            {
                t.Store(sem, word - 1);
                yield return Spin(atomic);
                yield break;
            }

            var registered = word + WaiterUnit;
            t.Store(sem, registered);
            yield return Spin(atomic);

            // 0 after a wake; -1 when the word moved (a post, another waiter) or spuriously: retry either way.
            yield return Trap0(Trap0Numbers.FutexWait, sem, registered);
            t.FetchAdd(sem, -WaiterUnit);
        }
    }

    /// <summary>sem_trywait: 0 and one unit taken, or EAGAIN.</summary>
    public static IEnumerable<GuestAction> TryDown(GuestThread t, long sem, Out rc)
    {
        var word = t.Load(sem);
        if (ValueOf(word) > 0)
        {
            t.Store(sem, word - 1);
            rc.Value = Errno.Ok;
        }
        else
        {
            rc.Value = Errno.Eagain;
        }

        yield return Spin(t.System.Costs.GuestAtomicCycles);
    }

    /// <summary>sem_post / h2_sem_up (sem_add by k): EOVERFLOW past 0x7fff, else add and wake k if anyone waits.</summary>
    public static IEnumerable<GuestAction> Up(GuestThread t, long sem, long count, Out? rc = null)
    {
        var word = t.Load(sem);
        if (ValueOf(word) + count > ValueMax)
        {
            rc?.Value = Errno.Eoverflow;
            yield return Spin(t.System.Costs.GuestAtomicCycles);
            yield break;
        }

        t.Store(sem, word + count);
        yield return Spin(t.System.Costs.GuestAtomicCycles);
        if (WaitersOf(word) != 0)
        {
            yield return Trap0(Trap0Numbers.FutexWake, sem, count);
        }

        rc?.Value = Errno.Ok;
    }

    public static long GetValue(GuestThread t, long sem) => ValueOf(t.Load(sem));
}
