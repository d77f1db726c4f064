using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// What the kernel asks of the world (IKernelEffects): its messages, each leaving at its point in
/// the critical section; the device's raises; and running kernel code so that a failure of the
/// model's invariants ends the run with an outcome instead of an exception.
/// </summary>
public sealed partial class ClusterRuntime
{
    private readonly InterruptRaise[] raises;

    /// <summary>
    /// A message raised inside a kernel section leaves at its point in the path: the section's
    /// state changes are applied when it gets the BKL, but a swi that runs after 300 cycles of
    /// kill_vm is raised 300 cycles in. This is what leaves a peer time to trap into the kernel
    /// before its kill IPI lands (R2).
    /// </summary>
    private ulong SectionOffset => Kernel.CurrentHThread >= 0 ? Definition.Costs.TrapEntryCycles + Kernel.SectionCycles : Kernel.SectionCycles;

    public void SendInterrupt(int targetCluster, int targetHThread, int intno, bool killDelivery = false)
    {
        var target = ActorLayout.HThread(targetCluster, targetHThread);
        var latency = target == currentAgent ? 0 : Definition.Costs.IpiLatencyCycles;
        sink.Send(currentAgent, target, SectionOffset + latency, EventKinds.Interrupt, intno, killDelivery ? 1 : 0);
    }

    public bool SendChildInt(VmBlock child, ThreadId parent)
    {
        var source = ActorLayout.VmBlock(cluster, child.Vmidx);
        var target = ActorLayout.VmBlock(cluster, (int)parent.Vmidx);
        var sent = sink.SendTracked(source, target, SectionOffset, EventKinds.ChildInt, parent.Raw, child.Vmidx, child.Status);
        CountChildIntSent(cluster, (int)parent.Vmidx, sent.Fault);
        var postedNow = sent.Fault is Core.Faults.FaultAction.None or Core.Faults.FaultAction.Duplicate;
        if (postedNow)
        {
            childIntsPosted.Add((source, sent.Sequence));
        }

        return postedNow;
    }

    public void SendRemote(VmBlock from, int targetCluster, int targetVmidx, RemoteMessage kind, long a, long b, long c)
    {
        var source = ActorLayout.VmBlock(cluster, from.Vmidx);
        var target = ActorLayout.VmBlock(targetCluster, targetVmidx);
        var sent = sink.SendTracked(source, target, SectionOffset + Definition.Costs.InterconnectLatencyCycles, EventKinds.RemoteBase + (int)kind, a, b, c);
        if (kind is RemoteMessage.ChildInt or RemoteMessage.ChildExited)
        {
            CountChildIntSent(targetCluster, targetVmidx, sent.Fault);
        }
    }

    public void ChildIntHandled(int parentVmidx, bool posted)
    {
        var count = outcome.ChildIntsOf(cluster, parentVmidx);
        if (posted)
        {
            count.Posted++;
        }
        else
        {
            count.ParentDead++;
        }
    }

    private void CountChildIntSent(int parentCluster, int parentVmidx, Core.Faults.FaultAction fault)
    {
        var count = outcome.ChildIntsOf(parentCluster, parentVmidx);
        count.Sent++;
        if (fault == Core.Faults.FaultAction.Drop)
        {
            count.Dropped++;
        }
        else if (fault == Core.Faults.FaultAction.Duplicate)
        {
            count.Duplicated++;
        }
    }

    public void SendRemoteReply(int fromVmidx, int targetCluster, int targetHThread, long value)
    {
        var source = ActorLayout.VmBlock(cluster, fromVmidx);
        var target = ActorLayout.HThread(targetCluster, targetHThread);
        sink.Send(source, target, SectionOffset + Definition.Costs.InterconnectLatencyCycles, EventKinds.RemoteBase + (int)RemoteMessage.StatusReply, value);
    }

    public void RecordChoice(ChoiceKind kind, int subject, int count, int index, uint candidate)
    {
        ExploreObserver?.OnChoice(this, kind, subject, count, index, candidate);
        var arbiter = ActorLayout.Arbiter(cluster);
        sink.Send(arbiter, arbiter, 0, EventKinds.Choice, ChoiceRecord.Encode(kind, subject, count), index, candidate);
    }

    public void ProgramTimer(int targetCluster, ulong deadlineCycles)
    {
        var delay = deadlineCycles > NowCycles ? deadlineCycles - NowCycles : 0;
        sink.Send(currentAgent, ActorLayout.HThread(targetCluster, 0), delay, EventKinds.TimerExpiry);
    }

    public void Note(int noteCluster, KernelNote note, VmBlock? vm, long a, long b)
    {
        if (vm is not null)
        {
            ObserveTeardown(note, vm, b);
        }

        var target = ActorLayout.VmBlock(noteCluster, vm?.Vmidx ?? 0);
        sink.Send(currentAgent, target, SectionOffset, EventKinds.KernelNote, (long)note, a, b);
    }

    void IKernelEffects.Note(int noteCluster, KernelNote note, VmBlock vm, long a, long b)
    {
        if (ExploreObserver is { } observer && note is KernelNote.KillMarked or KernelNote.ContextReaped
            && new ThreadId((uint)a).Cpuidx < (uint)vm.Contexts.Length)
        {
            var target = vm.Contexts[new ThreadId((uint)a).Cpuidx];
            observer.OnKill(this, target, TargetStates.OfContext(target, (ContextStatus)b, Kernel), note == KernelNote.ContextReaped);
        }

        Note(noteCluster, note, vm, a, b);
    }

    // ---- the device ----

    /// <summary>The fault plan's raises for this cluster, as the device's own messages at their times.</summary>
    private void ScheduleDeviceRaises()
    {
        var device = ActorLayout.Device(cluster);
        foreach (var raise in raises)
        {
            sink.Send(device, device, raise.AtCycles, EventKinds.DeviceRaise, raise.InterruptNumber);
        }
    }

    /// <summary>A scenario operation asks the device to raise an interrupt after <paramref name="delayCycles"/>.</summary>
    public void RaiseInterrupt(int intno, ulong delayCycles)
    {
        if (intno is < 0 or >= KernelConstants.MaxInterrupts)
        {
            Fail("violation", $"raise_interrupt {intno}: interrupt numbers are 0..{KernelConstants.MaxInterrupts - 1}", "scenario-input");
            return;
        }

        var device = ActorLayout.Device(cluster);
        sink.Send(device, device, delayCycles, EventKinds.DeviceRaise, intno);
    }

    /// <summary>swi semantics (§1): the pending bit is set (or the raise coalesces), then an able hthread takes it.</summary>
    private void DeliverToDevice(in Core.Events.SimEvent ev)
    {
        if (ev.Kind == EventKinds.DeviceRaise)
        {
            OnInterrupt(ev.A);
        }
    }

    // ---- running kernel code ----

    /// <summary>Runs an entry's kernel code and the invariant check; a failure ends the run with an outcome.</summary>
    private bool TryExecute(in KernelEntry entry, ThreadContext? me, int h)
    {
        try
        {
            Kernel.Execute(entry, me, h);
            Kernel.CheckAfterSection();
            return true;
        }
        catch (Exception e) when (IsModelOutcome(e, me))
        {
            return false;
        }
    }

    private bool TryRunAgentWork(in AgentWork work, int vmidx)
    {
        try
        {
            RunAgentWork(work);
            Kernel.CheckAfterSection();
            return true;
        }
        catch (Exception e) when (IsModelOutcome(e, null))
        {
            return false;
        }
    }

    /// <summary>An exception that is the model's verdict (a violated invariant, a BKL deadlock, an Angel exit) becomes the outcome.</summary>
    private bool IsModelOutcome(Exception e, ThreadContext? me)
    {
        switch (e)
        {
            case KernelInvariantException invariant:
                Fail("violation", invariant.Message, invariant.Invariant);
                return true;
            case BklDeadlockException deadlock:
                Fail("deadlock", deadlock.Message, null);
                return true;
            case AngelExitException angel:
                outcome.AngelExit(me?.VmBlock.Name ?? "?", angel.Code);
                return true;
            default:
                return false;
        }
    }
}
