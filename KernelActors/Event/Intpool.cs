using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Intpool (kernel/event/intpool, C only; h2-domain.md §5.4): configure (trap0 14), wait (trap0 15),
/// the handler H2K_intpool_int and H2K_intpool_cancel (R7: wrong for a popup waiter). BKL held.
/// </summary>
public sealed partial class Kernel
{
    internal void IntpoolConfigure(ThreadContext me, int intno, bool enable)
    {
        Charge(Costs.SimpleTrapCycles);
        if (intno is < 0 or >= KernelConstants.MaxInterrupts)
        {
            me.R00 = -1;
            return;
        }

        if (enable)
        {
            IntpoolHandlers[intno] = me.VmBlock;
            Iassignw(intno, 0);
        }
        else
        {
            IntpoolHandlers.Remove(intno);
            Iassignw(intno, ulong.MaxValue);
        }

        me.R00 = 0;
    }

    internal void IntpoolWait(ThreadContext me)
    {
        Charge(Costs.IntpoolWaitCycles);
        if (VmworkGate(me, GatedPrimitive.IntpoolWait))
        {
            return;
        }

        var vm = me.VmBlock;
        if (vm.IntpoolPending.Count > 0)
        {
            var intno = vm.IntpoolPending.Min;
            vm.IntpoolPending.Remove(intno);
            me.R00 = intno;
            return;
        }

        RunlistRemove(me);
        me.LinkInto(ContextPlace.Intpool, vm.Vmidx);
        var head = vm.Intpool;
        Ring.Append(ref head, me);
        vm.Intpool = head;
        me.Status = ContextStatus.IntBlocked;
        me.R00 = -1;
        Dosched(me, me.HThread);
    }

    /// <summary>H2K_intpool_int: wake the head waiter with r00 = intno, or record the interrupt pending.</summary>
    internal void IntpoolInt(int intno, ThreadContext? interrupted, int hthread)
    {
        Charge(Costs.PopupIntCycles);
        if (!IntpoolHandlers.TryGetValue(intno, out var vm))
        {
            return;
        }

        // Nothing un-registers a binding at teardown (R7): the handler reads the vmblock regardless.
        AssertNotFreed(vm, $"H2K_intpool_int({intno}) reading the bound vmblock's intpool");
        var head = vm.Intpool;
        if (head is null)
        {
            vm.IntpoolPending.Add(intno);
            return;
        }

        head.UnlinkFrom(ContextPlace.Intpool, vm.Vmidx, "H2K_intpool_int");
        Ring.Remove(ref head, head);
        var woken = vm.Intpool!;
        vm.Intpool = head;
        woken.R00 = intno;
        SwitchToWoken(woken, interrupted, hthread);
    }

    /// <summary>H2K_intpool_cancel: unlink from the vmblock's intpool ring, r00 = -1.</summary>
    internal void IntpoolCancel(ThreadContext context)
    {
        context.UnlinkFrom(ContextPlace.Intpool, context.VmBlock.Vmidx, "H2K_intpool_cancel");
        var head = context.VmBlock.Intpool;
        Ring.Remove(ref head, context);
        context.VmBlock.Intpool = head;
        context.R00 = -1;
    }
}
