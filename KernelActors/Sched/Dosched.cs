using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_dosched and H2K_switch (kernel/sched/dosched, kernel/sched/switch; h2-domain.md §4.2–4.3).
/// Precondition: BKL held, me already off the runlist (me = null: do not save the old context).
/// "Never returns" in C: here it leaves runlist[h] holding the incoming context (or the hthread
/// idle) and the caller returns at once; the BKL is released when the section ends.
/// </summary>
public sealed partial class Kernel
{
    internal void Dosched(ThreadContext? me, int hthread)
    {
        Charge(Costs.DoschedCycles);
        var next = ReadyGetBest();
        if (next is null)
        {
            // Sleep path: drop any low-priority designation, set wait_mask and priomask, WAIT.
            DropLowPrio(hthread);
            Switch(me, null, hthread);
            return;
        }

        // Low-priority bookkeeping (§4.3 step 3).
        var worst = WorstRunning();
        if (WaitMask == 0 && worst.Prio >= 0 && next.Prio > worst.Prio)
        {
            LowPrioHThread = hthread;
            PrioMask |= 1UL << hthread;
        }
        else if (LowPrioHThread == hthread)
        {
            DropLowPrio(hthread);
        }

        RunlistPush(next, hthread);
        Switch(me, next, hthread);
    }

    /// <summary>
    /// H2K_switch: restore the incoming context, run the switch-in hook (deferred work) with the BKL
    /// still held, then check_sanity_unlock. With nothing to run, the sleep path.
    /// </summary>
    private void Switch(ThreadContext? me, ThreadContext? incoming, int hthread)
    {
        Charge(Costs.SwitchCycles);
        if (incoming is null)
        {
            // The hthread goes idle when this section ends (the runner sees runlist[h] == null).
            WaitMask |= 1UL << hthread;
            PrioMask |= 1UL << hthread;
            SleptInSection = true;
            return;
        }

        SwitchInHook(incoming);

        // The hook may have stopped the incoming thread (KILL), which dosched'ed again.
        if (Runlist[hthread] == incoming)
        {
            CheckSanity();
        }
    }

    /// <summary>The switch-in hook: [M] H2K_vm_do_work_withlock; [B]/[P] H2K_vm_do_work (§4.2).</summary>
    private void SwitchInHook(ThreadContext incoming)
    {
        if (Variant.HasKillInfrastructure())
        {
            VmDoWorkWithLock(incoming);
        }
        else
        {
            VmDoWork(incoming, bklHeld: true);
        }
    }

    /// <summary>An idle hthread starts running: clear its wait_mask bit and its idle priomask bit.</summary>
    internal void LeaveIdle(int hthread)
    {
        WaitMask &= ~(1UL << hthread);
        if (LowPrioHThread != hthread)
        {
            PrioMask &= ~(1UL << hthread);
        }
    }

    private void DropLowPrio(int hthread)
    {
        if (LowPrioHThread == hthread)
        {
            LowPrioHThread = -1;
        }

        if ((WaitMask & (1UL << hthread)) == 0)
        {
            PrioMask &= ~(1UL << hthread);
        }
    }
}
