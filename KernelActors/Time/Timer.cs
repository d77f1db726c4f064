using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Timers (kernel/time/timer, h2-domain.md §5.6): one deadline per context in the global timeout
/// tree (cycles stand in for ticks). Expiry posts TIME_GUESTINT (12), which wakes a BLOCKED or
/// INTBLOCKED thread only with IE set. pthread timed waits never arm one.
/// </summary>
public sealed partial class Kernel
{
    internal const int TimerGetFreq = 0;
    internal const int TimerGetResolution = 1;
    internal const int TimerGetTime = 2;
    internal const int TimerGetTimeout = 3;
    internal const int TimerSetTimeout = 4;
    internal const int TimerDeltaTimeout = 5;

    /// <summary>TIMEROP (trap0 22 / vmtrap 24). BKL held for set/delta.</summary>
    internal void TimerTrap(ThreadContext me, int op, long value)
    {
        Charge(Costs.TimerOpCycles);
        switch (op)
        {
            case TimerGetFreq:
                me.R00 = 19_200_000;
                break;
            case TimerGetResolution:
                me.R00 = 1;
                break;
            case TimerGetTime:
                me.R00 = (long)Now;
                break;
            case TimerGetTimeout:
                me.R00 = (long)me.Timeout;
                break;
            case TimerSetTimeout:
            case TimerDeltaTimeout:
                var deadline = op == TimerSetTimeout ? (ulong)value : Now + (ulong)value;
                TimerCancelWithLock(me);
                me.Timeout = 0;

                // A deadline at or before now is "no timer".
                if (deadline > Now)
                {
                    me.Timeout = deadline;
                    Timeouts.Add((deadline, me.Id.Raw));
                    effects.ProgramTimer(Cluster, deadline);
                }

                me.R00 = (long)me.Timeout;
                break;
            default:
                me.R00 = -1;
                break;
        }
    }

    /// <summary>H2K_timer_cancel_withlock: remove the node; timeout is left for the context clear.</summary>
    internal void TimerCancelWithLock(ThreadContext context)
    {
        AssertBklHeld("H2K_timer_cancel_withlock");
        if (context.Timeout != 0)
        {
            Timeouts.Remove((context.Timeout, context.Id.Raw));
        }
    }

    /// <summary>H2K_timer_int: expire every deadline ≤ now; post TIME_GUESTINT to each (errors ignored).</summary>
    internal void TimerInt()
    {
        Charge(Costs.TimerOpCycles);
        var now = Now;
        while (Timeouts.Count > 0 && Timeouts.Min.Deadline <= now)
        {
            var (_, raw) = Timeouts.Min;
            Timeouts.Remove(Timeouts.Min);
            var context = IdToContext(new ThreadId(raw), "H2K_timer_int");
            if (context is null || context.Status == ContextStatus.Dead)
            {
                continue;
            }

            context.Timeout = 0;
            VmCpuintPostLocked(context, KernelConstants.TimeGuestInt);
        }

        if (Timeouts.Count > 0)
        {
            effects.ProgramTimer(Cluster, Timeouts.Min.Deadline);
        }
    }
}
