using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Classic futex (kernel/futex/futex_classic, h2-domain.md §5.1): H2K_futex_wait (trap0 2) and
/// H2K_futex_resume (trap0 3). BKL held (taken by the trap entry).
/// </summary>
public sealed partial class Kernel
{
    /// <summary>H2K_futex_wait: gate, check the word, then commit BLOCKED and dosched.</summary>
    internal void FutexWait(ThreadContext me, long address, long expected)
    {
        Charge(Costs.FutexWaitCycles);
        if (VmworkGate(me, GatedPrimitive.FutexWait))
        {
            return;
        }

        if (!SafememCheck(address) || me.VmBlock.Read(address) != expected)
        {
            me.R00 = -1;
            return;
        }

        FutexCommit(me, address);
    }

    /// <summary>The commit shared by wait and lock_pi: futex_ptr, runlist_remove, r00 = 0, BLOCKED, hash, dosched.</summary>
    private void FutexCommit(ThreadContext me, long address)
    {
        me.FutexPtr = address;
        RunlistRemove(me);
        me.R00 = 0;
        me.Status = ContextStatus.Blocked;
        FutexHashAdd(me);
        Dosched(me, me.HThread);
    }

    /// <summary>H2K_futex_resume: wake up to n waiters (best first) with ready_append; returns the count.</summary>
    internal void FutexResume(ThreadContext me, long address, int count)
    {
        Charge(Costs.FutexWakeCycles);
        if (count == 0)
        {
            me.R00 = 0;
            return;
        }

        if (!SafememCheck(address))
        {
            me.R00 = -1;
            return;
        }

        var woken = 0;
        while (woken < count && FutexFirstWaiter(address) is { } waiter)
        {
            Charge(Costs.FutexWakePerWaiterCycles);
            FutexHashRemove(waiter);
            ReadyAppend(waiter);
            woken++;
        }

        me.R00 = woken;
        CheckSanity();
    }

    /// <summary>H2K_safemem_check_and_lock: the address must be a valid, aligned guest address.</summary>
    private static bool SafememCheck(long address) => address > 0 && (address & 3) == 0;
}
