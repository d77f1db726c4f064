using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>H2K_check_sanity (kernel/sched/check_sanity, h2-domain.md §4.3).</summary>
public sealed partial class Kernel
{
    internal void CheckSanity()
    {
        Charge(Costs.CheckSanityCycles);
        var worst = WorstRunning();

        // 1. Designate the worst-priority running hthread low priority if none is.
        if (LowPrioHThread < 0 && worst.HThread >= 0)
        {
            LowPrioHThread = worst.HThread;
            PrioMask |= 1UL << worst.HThread;
        }

        // 2. Something ready that should run: RESCHED_INT lands on the low-priority or an idle hthread.
        var bestReady = ReadyBestPrio();
        if (bestReady == KernelConstants.MaxPrios)
        {
            return;
        }

        if ((worst.Prio >= 0 && worst.Prio > bestReady) || WaitMask != 0)
        {
            Swi(KernelConstants.ReschedInt);
        }
    }
}
