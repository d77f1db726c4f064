using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// The plainmutex (libs/posix/pthread): a PI futex word that is 0 or the owner's raw thread id
/// (bit 0 = contended, set by the kernel). Lock: LL/SC 0 → my id, else trap0 20 FUTEX_LOCK_PI,
/// retried while it returns non-zero (a cancel or the VMWORK gate's spurious -1). Unlock: LL/SC my
/// id → 0, else trap0 21 FUTEX_UNLOCK_PI, which hands the lock to the best waiter and restores my
/// priority; it returns what the unlock returned.
/// </summary>
public static class PlainMutex
{
    public static GuestAction Lock(long word) => Invoke(LockRoutine, word);

    public static GuestAction Unlock(long word) => Invoke(UnlockRoutine, word);

    private static GuestAction LockRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                f.L0 = t.CompareExchange(f.A0, 0, t.Id.Raw);
                return f.Then(1, Spin(t.System.Costs.GuestAtomicCycles));
            case 1 when f.L0 == 0:
                return Return();
            case 1:
                return f.Then(2, Trap0(Trap0Numbers.FutexLockPi, f.A0));
            default:
                return t.Result != 0 ? f.Then(2, Trap0(Trap0Numbers.FutexLockPi, f.A0)) : Return();
        }
    }

    private static GuestAction UnlockRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                f.L0 = t.CompareExchange(f.A0, t.Id.Raw, 0);
                return f.Then(1, Spin(t.System.Costs.GuestAtomicCycles));
            case 1 when f.L0 == t.Id.Raw:
                return Return(0);
            case 1:
                return f.Then(2, Trap0(Trap0Numbers.FutexUnlockPi, f.A0));
            default:
                return Return(t.Result);
        }
    }

    /// <summary>Trylock: the LL/SC alone; true when taken.</summary>
    public static bool TryLock(GuestThread t, long word) => t.CompareExchange(word, 0, t.Id.Raw) == 0;
}

/// <summary>
/// pthread_mutex_* (libs/posix/pthread): a recursive wrapper (type, depth, owner) around a
/// plainmutex. Words: +0 the plainmutex, +8 owner, +16 depth (unsigned 32-bit), +24 type. Lock
/// sets depth to 1 (recursive re-lock by the owner increments it); unlock decrements and releases
/// only at 0, so unlocking an unowned mutex underflows depth and releases nothing. destroy is a
/// no-op. Trylock on a NORMAL mutex held by the caller is EBUSY.
/// </summary>
public static class PthreadMutex
{
    public const int Words = 4;
    public const long Normal = 0;
    public const long Recursive = 1;

    private const long OwnerOffset = 8;
    private const long DepthOffset = 16;
    private const long TypeOffset = 24;

    public static void Init(GuestThread t, long mutex, long type)
    {
        t.Store(mutex, 0);
        t.Store(mutex + OwnerOffset, 0);
        t.Store(mutex + DepthOffset, 0);
        t.Store(mutex + TypeOffset, type);
    }

    public static GuestAction Lock(long mutex) => Invoke(LockRoutine, mutex);

    public static GuestAction TryLock(long mutex) => Invoke(TryLockRoutine, mutex);

    public static GuestAction Unlock(long mutex) => Invoke(UnlockRoutine, mutex);

    private static GuestAction LockRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1 when HeldRecursivelyByMe(t, f.A0):
                t.Store(f.A0 + DepthOffset, (t.Load(f.A0 + DepthOffset) + 1) & 0xffff_ffff);
                return Return();
            case 1:
                return f.Then(2, PlainMutex.Lock(f.A0));
            default:
                t.Store(f.A0 + OwnerOffset, t.Id.Raw);
                t.Store(f.A0 + DepthOffset, 1);
                return Return();
        }
    }

    private static GuestAction TryLockRoutine(GuestThread t, ref GuestFrame f)
    {
        if (f.Pc == 0)
        {
            return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
        }

        if (HeldRecursivelyByMe(t, f.A0))
        {
            t.Store(f.A0 + DepthOffset, (t.Load(f.A0 + DepthOffset) + 1) & 0xffff_ffff);
            return Return(Errno.Ok);
        }

        if (!PlainMutex.TryLock(t, f.A0))
        {
            return Return(Errno.Ebusy);
        }

        t.Store(f.A0 + OwnerOffset, t.Id.Raw);
        t.Store(f.A0 + DepthOffset, 1);
        return Return(Errno.Ok);
    }

    private static GuestAction UnlockRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                var depth = (t.Load(f.A0 + DepthOffset) - 1) & 0xffff_ffff;
                t.Store(f.A0 + DepthOffset, depth);
                if (depth != 0)
                {
                    // Still held recursively, or an unowned unlock that underflowed: nothing is released.
                    return Return();
                }

                t.Store(f.A0 + OwnerOffset, 0);
                return f.Then(2, PlainMutex.Unlock(f.A0));
            default:
                return Return();
        }
    }

    private static bool HeldRecursivelyByMe(GuestThread t, long mutex) =>
        t.Load(mutex + TypeOffset) == Recursive && t.Load(mutex + OwnerOffset) == t.Id.Raw;

    public static long Depth(GuestThread t, long mutex) => t.Load(mutex + DepthOffset);

    public static long Owner(GuestThread t, long mutex) => t.Load(mutex + OwnerOffset);
}
