using H2Sim.HwThreadActors.Timeline;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Messages to a vmblock. A cross-cluster relationship message goes to the cluster's interconnect
/// mailbox and raises the mailbox interrupt (Kernel.InterconnectInt). A local CHILDINT that a fault
/// displaced from the stopping thread's section runs under the BKL as the parent vmblock's agent
/// (one that arrives as sent was posted in that section and is only a trace record here).
/// </summary>
public sealed partial class ClusterRuntime
{
    private readonly Queue<AgentWork>[] pendingWork = new Queue<AgentWork>[KernelConstants.MaxVms];
    private readonly bool[] vmAgentBusy = new bool[KernelConstants.MaxVms];

    // Local CHILDINTs already posted in their sender's section, by (source, sequence).
    private readonly HashSet<(uint Source, ulong Sequence)> childIntsPosted = new();

    private void DeliverToVmBlock(int vmidx, in Core.Events.SimEvent ev)
    {
        switch (ev.Kind)
        {
            case EventKinds.ChildInt when childIntsPosted.Remove((ev.Source, ev.Sequence)):
                break;
            case EventKinds.ChildInt:
                pendingWork[vmidx].Enqueue(new AgentWork(ev.Kind, ev.Source, ev.A, ev.B, ev.C));
                TryStartVmAgent(vmidx);
                break;
            case >= EventKinds.RemoteBase and < EventKinds.RemoteBase + 16:
                Kernel.InterconnectMailbox.Enqueue(new RemoteArrival((RemoteMessage)(ev.Kind - EventKinds.RemoteBase), vmidx, ActorLayout.ClusterOf(ev.Source), ev.A, ev.B, ev.C));
                OnInterrupt(KernelConstants.InterconnectInt);
                break;
            case EventKinds.BklGrant:
                RunVmAgent(vmidx);
                break;
            case EventKinds.KernelExit:
                ReleaseBkl(ActorLayout.VmBlock(cluster, vmidx));
                vmAgentBusy[vmidx] = false;
                Timeline?.OnState(cluster, 100 + vmidx, NowCycles, TimelineState.Idle, "idle");
                TryStartVmAgent(vmidx);
                DispatchPendingInterrupts();
                break;
        }
    }

    private void TryStartVmAgent(int vmidx)
    {
        if (vmAgentBusy[vmidx] || pendingWork[vmidx].Count == 0 || outcome.Stopped)
        {
            return;
        }

        vmAgentBusy[vmidx] = true;
        RequestBkl(ActorLayout.VmBlock(cluster, vmidx));
    }

    private void RunVmAgent(int vmidx)
    {
        var actor = ActorLayout.VmBlock(cluster, vmidx);
        currentAgent = actor;
        var work = pendingWork[vmidx].Dequeue();
        Kernel.BeginSection(-1);
        Timeline?.OnState(cluster, 100 + vmidx, NowCycles, TimelineState.Kernel, $"BKL held: {EventKinds.Name(work.Kind)} work");
        if (!TryRunAgentWork(work, vmidx))
        {
            return;
        }

        var cycles = Kernel.SectionCycles;
        if (outcome.Teardowns.AnyOpen)
        {
            outcome.Teardowns.BklHeld(cluster, cycles);
        }

        Kernel.EndSection();
        sink.Send(actor, actor, cycles, EventKinds.KernelExit, 0, 1);
    }

    private void RunAgentWork(in AgentWork work)
    {
        Kernel.Charge(Definition.Costs.CpuintPostCycles);
        Kernel.ChildIntArrived(new ThreadId((uint)work.A));
    }

    /// <summary>A message's kernel work, waiting for its vmblock's agent to get the BKL.</summary>
    private readonly record struct AgentWork(int Kind, uint Source, long A, long B, long C);
}
