using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>H2K_runlist_push / _remove and the worst-running query (kernel/data/runlist, §4.1).</summary>
public sealed partial class Kernel
{
    /// <summary>H2K_runlist_push: runlist[h] = context, status RUNNING.</summary>
    internal void RunlistPush(ThreadContext context, int hthread)
    {
        if (Runlist[hthread] is not null)
        {
            throw new KernelInvariantException("runlist", $"hthread {hthread} already runs {Runlist[hthread]} when pushing {context}");
        }

        context.LinkInto(ContextPlace.Runlist, hthread);
        context.HThread = hthread;
        Runlist[hthread] = context;
        RunlistPrios[hthread] = context.Prio;
        context.Status = ContextStatus.Running;
    }

    /// <summary>H2K_runlist_remove: NULLs the slot (status is left to the caller).</summary>
    internal void RunlistRemove(ThreadContext context)
    {
        var h = context.HThread;
        if (Runlist[h] != context)
        {
            throw new KernelInvariantException("runlist", $"{context} is not on hthread {h}'s runlist");
        }

        context.UnlinkFrom(ContextPlace.Runlist, h, "runlist_remove");
        Runlist[h] = null;
        RunlistPrios[h] = -1;
    }

    /// <summary>The numerically largest running priority and its hthread; (-1, -1) when none runs.</summary>
    internal (int Prio, int HThread) WorstRunning()
    {
        var worst = (Prio: -1, HThread: -1);
        for (var h = 0; h < HThreads; h++)
        {
            if (RunlistPrios[h] > worst.Prio)
            {
                worst = (RunlistPrios[h], h);
            }
        }

        return worst;
    }
}
