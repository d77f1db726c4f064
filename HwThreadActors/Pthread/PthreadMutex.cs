using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// The plainmutex (libs/posix/pthread, h2-domain.md §9, §5.2): a PI futex word that is 0 or the
/// owner's raw thread id (bit 0 = contended, set by the kernel). Lock: LL/SC 0 → my id, else
/// trap0 20 FUTEX_LOCK_PI, retried while it returns non-zero (a cancel or the VMWORK gate's
/// spurious -1). Unlock: LL/SC my id → 0, else trap0 21 FUTEX_UNLOCK_PI, which hands the lock to
/// the best waiter and restores my priority.
/// </summary>
public static class PlainMutex
{
    public static IEnumerable<GuestAction> Lock(GuestThread t, long word)
    {
        var me = (long)t.Id.Raw;
        var old = t.CompareExchange(word, 0, me);
        yield return Spin(t.System.Costs.GuestAtomicCycles);
        if (old == 0)
        {
            yield break;
        }

        do
        {
            yield return Trap0(Trap0Numbers.FutexLockPi, word);
        }
        while (t.Result != 0);
    }

    /// <summary>Trylock: the LL/SC alone; true when taken.</summary>
    public static bool TryLock(GuestThread t, long word) => t.CompareExchange(word, 0, t.Id.Raw) == 0;

    /// <summary>Unlock; rc gets what the unlock returned (0, or -1 from the trap).</summary>
    public static IEnumerable<GuestAction> Unlock(GuestThread t, long word, Out? rc = null)
    {
        var me = (long)t.Id.Raw;
        var old = t.CompareExchange(word, me, 0);
        yield return Spin(t.System.Costs.GuestAtomicCycles);
        if (old == me)
        {
            rc?.Value = 0;
            yield break;
        }

        yield return Trap0(Trap0Numbers.FutexUnlockPi, word);
        rc?.Value = t.Result;
    }
}

/// <summary>
/// pthread_mutex_* (h2-domain.md §9): a recursive wrapper (type, depth, owner) around a
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

    public static IEnumerable<GuestAction> Lock(GuestThread t, long mutex)
    {
        yield return Spin(t.System.Costs.GuestCallCycles);
        var me = (long)t.Id.Raw;
        if (t.Load(mutex + TypeOffset) == Recursive && t.Load(mutex + OwnerOffset) == me)
        {
            t.Store(mutex + DepthOffset, (t.Load(mutex + DepthOffset) + 1) & 0xffff_ffff);
            yield break;
        }

        yield return Call(PlainMutex.Lock(t, mutex));
        t.Store(mutex + OwnerOffset, me);
        t.Store(mutex + DepthOffset, 1);
    }

    public static IEnumerable<GuestAction> TryLock(GuestThread t, long mutex, Out rc)
    {
        yield return Spin(t.System.Costs.GuestCallCycles);
        var me = (long)t.Id.Raw;
        if (t.Load(mutex + TypeOffset) == Recursive && t.Load(mutex + OwnerOffset) == me)
        {
            t.Store(mutex + DepthOffset, (t.Load(mutex + DepthOffset) + 1) & 0xffff_ffff);
            rc.Value = Errno.Ok;
            yield break;
        }

        if (!PlainMutex.TryLock(t, mutex))
        {
            rc.Value = Errno.Ebusy;
            yield break;
        }

        t.Store(mutex + OwnerOffset, me);
        t.Store(mutex + DepthOffset, 1);
        rc.Value = Errno.Ok;
    }

    public static IEnumerable<GuestAction> Unlock(GuestThread t, long mutex)
    {
        yield return Spin(t.System.Costs.GuestCallCycles);
        var depth = (t.Load(mutex + DepthOffset) - 1) & 0xffff_ffff;
        t.Store(mutex + DepthOffset, depth);
        if (depth != 0)
        {
            // Still held recursively, or an unowned unlock that underflowed: nothing is released.
            yield break;
        }

        t.Store(mutex + OwnerOffset, 0);
        yield return Call(PlainMutex.Unlock(t, mutex));
    }

    public static long Depth(GuestThread t, long mutex) => t.Load(mutex + DepthOffset);

    public static long Owner(GuestThread t, long mutex) => t.Load(mutex + OwnerOffset);
}
