using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// The BKL's two choice points (h2-domain.md §4.2, §13.1: k0lock has no fairness). Agents that
/// reach a free lock in one cycle contend; the arbiter, the cluster's last actor, decides the
/// holder after every arrival of that cycle. Agents that find it held spin; a release hands it to
/// a spinner chosen the same way, by a grant message.
/// </summary>
public sealed partial class ClusterRuntime
{
    /// <summary>An agent (hthread or vmblock) asks for the BKL: it contends this cycle or spins.</summary>
    private void RequestBkl(uint agent)
    {
        bool first;
        try
        {
            first = Kernel.Bkl.Arrive(agent);
        }
        catch (BklDeadlockException e)
        {
            Fail("deadlock", e.Message, null);
            return;
        }

        if (first)
        {
            sink.Send(agent, ActorLayout.Arbiter(cluster), 0, EventKinds.BklArbitrate);
        }
    }

    /// <summary>The end of a cycle in which the lock was free: one contender gets it, the rest spin.</summary>
    private void Arbitrate()
    {
        var count = Kernel.Bkl.Contenders.Count;
        Kernel.Bkl.CopyContenders(candidates);
        var winner = Kernel.Bkl.Award(Kernel.Choices.Choose(ChoiceKind.BklArrival, candidates.AsSpan(0, count)));
        Grant(winner);
    }

    /// <summary>The holder releases; a spinner, if any, is chosen and granted the lock after the handover latency.</summary>
    private void ReleaseBkl(uint agent)
    {
        Kernel.Bkl.Release(agent);
        var count = Kernel.Bkl.Spinners.Count;
        if (count == 0)
        {
            return;
        }

        Kernel.Bkl.CopySpinners(candidates);
        var next = Kernel.Bkl.HandTo(Kernel.Choices.Choose(ChoiceKind.BklRelease, candidates.AsSpan(0, count)));
        sink.Send(agent, next, Definition.Costs.BklHandoverCycles, EventKinds.BklGrant);
    }

    /// <summary>The agent now holds the BKL: its section runs.</summary>
    private void Grant(uint agent)
    {
        if (ActorLayout.IsHThread(agent))
        {
            var h = ActorLayout.LocalIndex(agent);
            RunEntry(h, slots[h].PendingEntry, holdsBkl: true);
        }
        else
        {
            RunVmAgent(ActorLayout.VmidxOf(agent));
        }
    }

    /// <summary>The hthreads spinning on the BKL right now, with the context and entry each is trying to run.</summary>
    private List<BklSpinner> SpinnersNow()
    {
        var spinners = new List<BklSpinner>();
        foreach (var agent in Kernel.Bkl.Spinners)
        {
            if (ActorLayout.IsHThread(agent))
            {
                var h = ActorLayout.LocalIndex(agent);
                spinners.Add(new BklSpinner(h, Kernel.Runlist[h], slots[h].PendingEntry));
            }
        }

        return spinners;
    }
}
