using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The trap tables (kernel/event/trap/trap.ref.S, kernel/vm/vmtrap; h2-domain.md §10) and the
/// interrupt handlers registered in kernel/data/intconfig. Which entries take the BKL follows
/// §4.2's list; the rest run without it.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>
    /// True when the entry's path takes the BKL (so the hthread may have to spin). It follows where
    /// the C code calls BKL_LOCK: VMOP_FREE takes none, VMOP_STATUS takes it only in [K]/[M]
    /// (kernel/vm/vmop/vmop.ref.c), the VM-IPI handler's steps 1–2 run without it (step 3 is an
    /// <see cref="InternalPath.VmIpiWork"/> follow-up), and a VMOP on a remote child only sends
    /// an interconnect message.
    /// </summary>
    public bool EntryTakesBkl(in KernelEntry entry) => entry.Kind switch
    {
        EntryKind.Trap0 => entry.Number switch
        {
            Trap0.FutexWake => entry.A1 != 0,
            Trap0.FutexWait or Trap0.ThreadCreate or Trap0.ThreadStop or Trap0.PrioSet
                or Trap0.IntWait or Trap0.Yield or Trap0.IntpoolConfig or Trap0.IntpoolWait or Trap0.FutexLockPi
                or Trap0.FutexUnlockPi or Trap0.Config => true,
            Trap0.TimerOp => entry.A0 is TimerSetTimeout or TimerDeltaTimeout,
            Trap0.VmOp => VmOpTakesBkl(entry),
            Trap0.VmStop => Variant == KernelVariant.Pr39,
            _ => false,
        },
        EntryKind.Trap1 => entry.Number switch
        {
            Trap1.Wait or Trap1.Yield or Trap1.Start or Trap1.Stop => true,
            Trap1.TimerOp => entry.A0 is TimerSetTimeout or TimerDeltaTimeout,
            _ => false,
        },
        EntryKind.Internal => true,
        _ => entry.Number switch
        {
            KernelConstants.VmIpiInt => false,
            KernelConstants.ReschedInt or KernelConstants.ClusterReschedInt or KernelConstants.TimerInt or KernelConstants.InterconnectInt => true,
            _ => PopupHandlers.ContainsKey(entry.Number) || IntpoolHandlers.ContainsKey(entry.Number),
        },
    };

    private bool VmOpTakesBkl(in KernelEntry entry)
    {
        var op = (int)entry.A0;
        if (op < 0 || op >= VmOp.Max(Variant) || IsRemoteVmOp(op, entry.A1, entry.A2))
        {
            return false;
        }

        return op switch
        {
            VmOp.Free => false,
            VmOp.Status => Variant.HasKillInfrastructure(),
            _ => true,
        };
    }

    /// <summary>Runs an entry for <paramref name="me"/> (runlist[h], null when idle) on hthread h.</summary>
    public void Execute(in KernelEntry entry, ThreadContext? me, int hthread)
    {
        switch (entry.Kind)
        {
            case EntryKind.Interrupt:
                ExecuteInterrupt(entry.Number, me, hthread);
                break;
            case EntryKind.Internal:
                ExecuteInternal((InternalPath)entry.Number, me, hthread);
                break;
            case EntryKind.Trap0:
                ExecuteTrap0(entry, me ?? throw new InvalidOperationException($"trap0 {entry.Number} on idle hthread {hthread}"));
                return;
            default:
                ExecuteTrap1(entry, me ?? throw new InvalidOperationException($"trap1 {entry.Number} on idle hthread {hthread}"));
                return;
        }

        // H2K_interrupted_waitmode: a handler that returns on an idle hthread goes back to sleep
        // through k0lock and H2K_switch(NULL, NULL); resched and a popup/intpool wake switch instead.
        if (me is null && FollowUp is null && !SleptInSection && Runlist[hthread] is null
            && !(entry.Kind == EntryKind.Internal && entry.Number == (int)InternalPath.IdleSleep))
        {
            FollowUp = KernelEntry.Internal(InternalPath.IdleSleep);
        }
    }

    private void ExecuteInternal(InternalPath path, ThreadContext? me, int hthread)
    {
        switch (path)
        {
            case InternalPath.VmIpiWork:
                if (me is not null)
                {
                    VmDoWorkWithLock(me, fromIpiHandler: true);
                }

                return;
            default:
                Charge(Costs.SwitchCycles);
                Switch(null, null, hthread);
                return;
        }
    }

    private void ExecuteTrap0(KernelEntry e, ThreadContext me)
    {
        switch (e.Number)
        {
            case Trap0.Angel:
                // Semihosting: SYS_EXIT (0x18) ends the simulation with the code in A1.
                throw new AngelExitException(e.A1);
            case Trap0.ThreadId:
                Charge(Costs.SimpleTrapCycles);
                me.R00 = me.Id.Raw;
                return;
            case Trap0.FutexWait:
                FutexWait(me, e.A0, e.A1);
                return;
            case Trap0.FutexWake:
                FutexResume(me, e.A0, (int)e.A1);
                return;
            case Trap0.ThreadCreate:
                // Ignores its vmblock argument: always me->vmblock (§3.3).
                me.R00 = ThreadCreateNoSquash(e.A0, e.A1, e.A2, (int)e.A3, me.VmBlock, me);
                return;
            case Trap0.ThreadStop:
                ThreadStopWithLock(e.A0, me);
                return;
            case Trap0.VmStop when Variant == KernelVariant.Pr39:
                VmStop(e.A0, me);
                return;
            case Trap0.VmStop:
                // [B]/[K]/[M]: the table maps 7 to H2K_thread_id.
                Charge(Costs.SimpleTrapCycles);
                me.R00 = me.Id.Raw;
                return;
            case Trap0.PrioSet:
                PrioSet(me, (int)e.A0);
                return;
            case Trap0.PrioGet:
                Charge(Costs.SimpleTrapCycles);
                me.R00 = me.Prio;
                return;
            case Trap0.IntWait:
                PopupWait(me, (int)e.A0);
                return;
            case Trap0.Yield:
                SchedYield(me);
                return;
            case Trap0.IntpoolConfig:
                IntpoolConfigure(me, (int)e.A0, e.A1 != 0);
                return;
            case Trap0.IntpoolWait:
                IntpoolWait(me);
                return;
            case Trap0.GetPcycles:
                Charge(Costs.SimpleTrapCycles);
                me.R00 = (long)Now;
                return;
            case Trap0.FutexLockPi:
                FutexLockPi(me, e.A0);
                return;
            case Trap0.FutexUnlockPi:
                FutexUnlockPi(me, e.A0);
                return;
            case Trap0.TimerOp:
                TimerTrap(me, (int)e.A0, e.A1);
                return;
            case Trap0.VmOp:
                VmOpTrap(me, (int)e.A0, e.A1, e.A2, e.A3, e.A4, e.A5);
                return;
            case Trap0.Config:
                me.R00 = ConfigVmblockInit(me, (int)e.A0, (int)e.A1, e.Text ?? "vm");
                return;
            default:
                // Forwarded to the guest as an event; the model's guests treat it as a failed call.
                Charge(Costs.SimpleTrapCycles);
                me.R00 = -1;
                return;
        }
    }

    private void ExecuteTrap1(KernelEntry e, ThreadContext me)
    {
        switch (e.Number)
        {
            case Trap1.Return:
                VmTrapReturn(me);
                return;
            case Trap1.SetVec:
                VmTrapSetVec(me, e.A0);
                return;
            case Trap1.SetIe:
                VmTrapSetIe(me, e.A0 != 0);
                return;
            case Trap1.GetIe:
                Charge(Costs.SimpleTrapCycles);
                me.R00 = me.Has(VmStatusBits.Ie) ? 1 : 0;
                return;
            case Trap1.IntOp:
                VmTrapIntEnable(me, (int)e.A1, e.A0 != 0);
                return;
            case Trap1.Wait:
                VmTrapWait(me);
                return;
            case Trap1.Yield:
                SchedYield(me);
                return;
            case Trap1.Start:
                me.R00 = ThreadCreateNoSquash(e.A0, e.A1, 0, me.BasePrio, me.VmBlock, me);
                return;
            case Trap1.Stop:
                ThreadStopWithLock(e.A0, me);
                return;
            case Trap1.TimerOp:
                TimerTrap(me, (int)e.A0, e.A1);
                return;
            default:
                Charge(Costs.SimpleTrapCycles);
                me.R00 = -1;
                return;
        }
    }

    private void ExecuteInterrupt(int intno, ThreadContext? me, int hthread)
    {
        Charge(Costs.InterruptEntryCycles);
        switch (intno)
        {
            case KernelConstants.ReschedInt:
                Resched(me, hthread, cluster: false);
                return;
            case KernelConstants.ClusterReschedInt:
                Resched(me, hthread, cluster: true);
                return;
            case KernelConstants.VmIpiInt:
                VmIpiDo(me, hthread);
                return;
            case KernelConstants.TimerInt:
                TimerInt();
                return;
            case KernelConstants.InterconnectInt:
                InterconnectInt(me, hthread);
                return;
            default:
                if (PopupHandlers.ContainsKey(intno))
                {
                    PopupInt(intno, me, hthread);
                }
                else if (IntpoolHandlers.ContainsKey(intno))
                {
                    IntpoolInt(intno, me, hthread);
                }

                return;
        }
    }

    /// <summary>H2K_prio_set (trap0 9): not better than the VM's bestprio; may reschedule.</summary>
    private void PrioSet(ThreadContext me, int prio)
    {
        Charge(Costs.SimpleTrapCycles);
        if (prio < me.VmBlock.BestPrio || prio >= KernelConstants.MaxPrios)
        {
            me.R00 = -1;
            return;
        }

        me.Prio = prio;
        me.BasePrio = prio;
        RunlistPrios[me.HThread] = prio;
        me.R00 = 0;
        CheckSanity();
    }

    /// <summary>
    /// A CHILDINT that did not arrive inside the stopping thread's section (a fault delayed,
    /// reordered or duplicated it) reached the parent's kernel: thread_stop's lookup and post,
    /// run now under the BKL by the parent vmblock's agent.
    /// </summary>
    public void ChildIntArrived(ThreadId parent)
    {
        var context = IdToContext(parent, "CHILDINT post: H2K_id_to_context(vmblock->parent)");
        if (context is null || context.Status == ContextStatus.Dead)
        {
            effects.ChildIntHandled((int)parent.Vmidx, posted: false);
            return;
        }

        VmCpuintPostLocked(context, KernelConstants.VmChildInt);
        effects.ChildIntHandled((int)parent.Vmidx, posted: true);
    }
}
