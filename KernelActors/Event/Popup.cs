using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Popup wait (kernel/event/popup, h2-domain.md §5.3): H2K_popup_wait (trap0 11), the interrupt
/// handler H2K_popup_int, and H2K_popup_cancel, which reads the interrupt number from r00 (R7:
/// wrong for an intpool waiter, whose r00 is -1). BKL held.
/// </summary>
public sealed partial class Kernel
{
    internal void PopupWait(ThreadContext me, int intno)
    {
        Charge(Costs.PopupWaitCycles);
        if (intno is < 0 or >= KernelConstants.MaxInterrupts || intno == KernelConstants.L2CoreInterrupt)
        {
            me.R00 = -1;
            return;
        }

        if (VmworkGate(me, GatedPrimitive.PopupWait))
        {
            return;
        }

        if (PopupHandlers.ContainsKey(intno) || IntpoolHandlers.ContainsKey(intno))
        {
            me.R00 = -1;
            return;
        }

        PopupHandlers[intno] = me;
        RunlistRemove(me);
        me.LinkInto(ContextPlace.PopupSlot, intno);
        me.Status = ContextStatus.IntBlocked;
        me.R00 = intno;
        Iassignw(intno, 0);
        Dosched(me, me.HThread);
    }

    /// <summary>
    /// H2K_popup_int: the woken thread runs at once on the interrupted hthread; the interrupted
    /// one is preempted (or the idle bit cleared).
    /// </summary>
    internal void PopupInt(int intno, ThreadContext? interrupted, int hthread)
    {
        Charge(Costs.PopupIntCycles);
        if (!PopupHandlers.Remove(intno, out var woken))
        {
            return;
        }

        if (woken.Place == ContextPlace.PopupSlot && woken.PlaceIndex == intno)
        {
            woken.UnlinkFrom(ContextPlace.PopupSlot, intno, "H2K_popup_int");
        }

        // The handler slot may still name a context that teardown freed without popup_cancel ([P]
        // reaps popup waiters with intpool_cancel, R7): the kernel switches to it all the same.
        AssertNotFreed(woken.VmBlock, $"H2K_popup_int({intno}) switching to {woken}");
        if (woken.Status != ContextStatus.IntBlocked)
        {
            throw new KernelInvariantException("stale-inthandler", $"H2K_popup_int({intno}) switches to {woken}, which is {woken.Status}: inthandlers[{intno}] outlived its waiter");
        }

        SwitchToWoken(woken, interrupted, hthread);
    }

    /// <summary>Shared tail of popup_int and intpool_int: preempt, make high priority, run the woken thread.</summary>
    private void SwitchToWoken(ThreadContext woken, ThreadContext? interrupted, int hthread)
    {
        if (interrupted is not null)
        {
            RunlistRemove(interrupted);
            ReadyAppend(interrupted);
        }
        else
        {
            LeaveIdle(hthread);
        }

        DropLowPrio(hthread);
        RunlistPush(woken, hthread);
        Switch(interrupted, woken, hthread);
    }

    /// <summary>H2K_popup_cancel: clear the handler slot named by r00, r00 = -1 (hardware left enabled).</summary>
    internal void PopupCancel(ThreadContext context)
    {
        var intno = (int)context.R00;
        if (intno < 0 || intno >= KernelConstants.MaxInterrupts)
        {
            // R7: an intpool waiter has r00 = -1; the C code writes inthandlers[-1].
            throw new KernelInvariantException(
                "inthandlers-bounds",
                $"popup_cancel of {context} reads interrupt number {intno} from r00 (an intpool waiter?) and writes outside inthandlers[]");
        }

        if (PopupHandlers.TryGetValue(intno, out var registered) && registered == context)
        {
            PopupHandlers.Remove(intno);
            context.UnlinkFrom(ContextPlace.PopupSlot, intno, "H2K_popup_cancel");
        }

        context.R00 = -1;
    }
}
