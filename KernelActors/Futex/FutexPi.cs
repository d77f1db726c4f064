using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// PI futex (kernel/futex/futex_pi, h2-domain.md §5.2, §4.3): lock word 0 = free, else the owner's
/// raw id with bit 0 = contended. lock_pi boosts the owner by its state; unlock_pi hands the lock
/// to the best waiter and restores the unlocker's priority. BKL held.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>H2K_futex_lock_pi (trap0 20).</summary>
    internal void FutexLockPi(ThreadContext me, long address)
    {
        Charge(Costs.LockPiCycles);
        if (VmworkGate(me, GatedPrimitive.LockPi))
        {
            return;
        }

        if (!SafememCheck(address))
        {
            me.R00 = -1;
            return;
        }

        // Atomically set bit 0; exactly 1 means it was free: take it.
        var word = me.VmBlock.Read(address) | 1;
        me.VmBlock.Write(address, word);
        if (word == 1)
        {
            me.VmBlock.Write(address, me.Id.Raw);
            me.R00 = 0;
            return;
        }

        // x.low5bits = 0; H2K_futex_pi_raise(me->prio, x.dest): whatever the word names is looked up.
        var owner = IdToContext(new ThreadId(unchecked((uint)word) & ~0x1Fu), "H2K_futex_pi_raise: H2K_id_to_context");
        if (owner is not null && owner.Prio > me.Prio)
        {
            BoostPriority(owner, me.Prio);
        }

        FutexCommit(me, address);
    }

    /// <summary>H2K_futex_unlock_pi (trap0 21): no gate (it never blocks).</summary>
    internal void FutexUnlockPi(ThreadContext me, long address)
    {
        Charge(Costs.UnlockPiCycles);
        if (!SafememCheck(address))
        {
            me.R00 = -1;
            return;
        }

        var waiter = FutexFirstWaiter(address);
        if (waiter is null)
        {
            me.VmBlock.Write(address, 0);
        }
        else
        {
            FutexHashRemove(waiter);
            ReadyAppend(waiter);
            me.VmBlock.Write(address, waiter.Id.Raw + 1);
        }

        RestorePriority(me);
        me.R00 = 0;
        CheckSanity();
    }

    /// <summary>PI boost by target state (§4.3).</summary>
    private void BoostPriority(ThreadContext owner, int prio)
    {
        switch (owner.Status)
        {
            case ContextStatus.Blocked:
                owner.Prio = prio;
                FutexHashResort(owner);
                break;
            case ContextStatus.Ready:
                ReadyRemove(owner);
                owner.Prio = prio;
                ReadyInsert(owner);
                break;
            case ContextStatus.Running:
                owner.Prio = prio;
                RunlistPrios[owner.HThread] = prio;
                if ((PrioMask & (1UL << owner.HThread)) != 0)
                {
                    RaiseLowprio();
                }

                break;
            case ContextStatus.IntBlocked:
                owner.Prio = prio;
                break;
            default:
                // DEAD and VMWAIT: ignored.
                return;
        }

        effects.Note(Cluster, KernelNote.PrioChanged, owner.VmBlock, owner.Id.Raw, prio);
    }

    /// <summary>Unlock restores prio to base_prio.</summary>
    private void RestorePriority(ThreadContext me)
    {
        if (me.Prio == me.BasePrio)
        {
            return;
        }

        me.Prio = me.BasePrio;
        RunlistPrios[me.HThread] = me.Prio;
        effects.Note(Cluster, KernelNote.PrioChanged, me.VmBlock, me.Id.Raw, me.Prio);
    }
}
