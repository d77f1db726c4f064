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
            // Sleep path: drop the low-priority designation, whoever holds it; set wait_mask and priomask, WAIT.
            RaiseLowprio();
            Switch(me, null, hthread);
            return;
        }

        // Low-priority bookkeeping (§4.3 step 3): this hthread becomes the one low-priority hthread,
        // or stops being it.
        var worst = WorstRunning();
        var mine = 1UL << hthread;
        if (WaitMask == 0 && worst.Prio >= 0 && next.Prio > worst.Prio)
        {
            if ((PrioMask & mine) == 0)
            {
                RaiseLowprio();
                PrioMask |= mine;
                LowPrioHThread = hthread;
            }
        }
        else if ((PrioMask & mine) != 0)
        {
            PrioMask &= ~mine;
            if (LowPrioHThread == hthread)
            {
                LowPrioHThread = -1;
            }
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

    /// <summary>
    /// H2K_raise_lowprio (kernel/sched/lowprio/lowprio.h): with no hthread idle, nobody is low
    /// priority any more — priomask is cleared whole (its one bit is the designated hthread's).
    /// </summary>
    internal void RaiseLowprio()
    {
        if (WaitMask != 0)
        {
            return;
        }

        PrioMask = 0;
        LowPrioHThread = -1;
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
