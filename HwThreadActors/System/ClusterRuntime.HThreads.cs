using System.Numerics;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// The hthreads: guest code runs until it spins (an event) or traps; a trap or an interrupt enters
/// the kernel, spinning for the BKL when its path takes it; the section runs atomically and holds
/// the BKL for the cycles it charged; interrupts are taken only in guest mode or idle (§4.2, §13.2).
/// </summary>
public sealed partial class ClusterRuntime
{
    private void DeliverToHThread(int h, in Core.Events.SimEvent ev)
    {
        switch (ev.Kind)
        {
            case EventKinds.GuestResume:
                if (ev.A == slots[h].Generation && Kernel.HThreadStates[h].Mode == HThreadMode.Guest)
                {
                    if (Kernel.Runlist[h]?.Guest is GuestExecution exec)
                    {
                        exec.SpinRemaining = 0;
                    }

                    Continue(h);
                }

                break;
            case EventKinds.KernelExit:
                OnKernelExit(h, ev.B == 1);
                break;
            case EventKinds.BklGrant:
                RunEntry(h, slots[h].PendingEntry, holdsBkl: true);
                break;
            case EventKinds.Interrupt:
                ExploreObserver?.OnInterruptArrived(this, h, (int)ev.A, ev.B == 1, TargetStates.OfMode(Kernel.HThreadStates[h].Mode));
                OnInterrupt(ev.A);
                break;
            case EventKinds.TimerExpiry:
                OnInterrupt(KernelConstants.TimerInt);
                break;
            case EventKinds.Boot:
                EnterKernel(h, new KernelEntry(EntryKind.Interrupt, KernelConstants.ReschedInt));
                break;
            case EventKinds.RemoteBase + (int)RemoteMessage.StatusReply:
                RemoteReplyArrived(h, ev.A);
                break;
        }
    }

    /// <summary>Returns to guest mode on hthread h: take a pending interrupt first, else run the guest until it spends time.</summary>
    private void Continue(int h)
    {
        var intno = Kernel.TakeableInterrupt(h);
        if (intno >= 0)
        {
            TakeInterruptOn(h, intno);
            return;
        }

        var context = Kernel.Runlist[h];
        if (context is null)
        {
            Kernel.HThreadStates[h].Mode = HThreadMode.Idle;
            Timeline?.OnState(cluster, h, NowCycles, TimelineState.Idle, "idle");
            return;
        }

        Kernel.HThreadStates[h].Mode = HThreadMode.Guest;
        Timeline?.OnState(cluster, h, NowCycles, TimelineState.Guest, $"{context.VmBlock.Name} {context.Id}", TimelineContext.Of(context));
        try
        {
            StepGuest(h, context);
        }
        catch (GuestProgressException e)
        {
            Fail("violation", $"hthread {h}: {e.Message}", "guest-progress");
        }
    }

    /// <summary>
    /// The one place a guest step spends time: a new step (not the rest of one an interrupt cut
    /// short) may be perturbed by the guest-timing choice point, and a perturbation is a message in
    /// the trace, so a log shows it and replay checks it.
    /// </summary>
    private void ScheduleSpin(int h, GuestExecution exec, ulong cycles, bool resumed)
    {
        if (!resumed && GuestTiming.Active && Kernel.Runlist[h] is { } context)
        {
            var (delta, step) = GuestTiming.Perturb(context, cycles);
            if (delta != 0)
            {
                cycles = (ulong)((long)cycles + delta);
                var arbiter = ActorLayout.Arbiter(cluster);
                sink.Send(arbiter, arbiter, 0, EventKinds.GuestJitter, context.Id.Raw, (long)step, delta);
            }
        }

        exec.SpinRemaining = cycles;
        exec.SpinEndsAt = NowCycles + cycles;
        var slot = slots[h];
        slot.Generation++;
        var actor = ActorLayout.HThread(cluster, h);
        sink.Send(actor, actor, cycles, EventKinds.GuestResume, slot.Generation);
    }

    /// <summary>An interrupt cuts a spin short: keep what is left, forget the pending resume.</summary>
    private void PreemptSpin(int h)
    {
        if (Kernel.Runlist[h]?.Guest is GuestExecution exec && exec.SpinRemaining > 0)
        {
            exec.SpinRemaining = exec.SpinEndsAt > NowCycles ? exec.SpinEndsAt - NowCycles : 0;
        }

        slots[h].Generation++;
    }

    /// <summary>Enters the kernel: paths that take the BKL spin until it is theirs.</summary>
    private void EnterKernel(int h, KernelEntry entry)
    {
        Kernel.HThreadStates[h].Mode = HThreadMode.Spinning;
        slots[h].PendingEntry = entry;
        slots[h].EnteredAt = NowCycles;
        if (Timeline is not null)
        {
            var context = TimelineContext.Of(Kernel.Runlist[h]);
            Timeline.OnTrap(cluster, h, NowCycles, entry.Name, context);
            Timeline.OnState(cluster, h, NowCycles, TimelineState.BklSpin, $"BKL spin: {entry.Name}", context);
        }

        if (!Kernel.EntryTakesBkl(entry))
        {
            RunEntry(h, entry, holdsBkl: false);
            return;
        }

        RequestBkl(ActorLayout.HThread(cluster, h));
    }

    /// <summary>Runs one kernel path as an atomic critical section; it lasts the cycles it charged.</summary>
    private void RunEntry(int h, KernelEntry entry, bool holdsBkl)
    {
        // Messages the section sends leave from this hthread, whatever event started it.
        currentAgent = ActorLayout.HThread(cluster, h);
        Kernel.HThreadStates[h].Mode = HThreadMode.InKernel;
        Kernel.HThreadStates[h].HoldsBkl = holdsBkl;
        Timeline?.OnState(cluster, h, NowCycles, TimelineState.Kernel, holdsBkl ? $"BKL held: {entry.Name}" : entry.Name, TimelineContext.Of(Kernel.Runlist[h]));
        Kernel.BeginSection(h, holdsBkl);
        var me = Kernel.Runlist[h];
        if (holdsBkl && BklAcquired is { } observer)
        {
            observer(new BklAcquisition(NowCycles, cluster, h, me, entry, NowCycles - slots[h].EnteredAt, SpinnersNow()));
        }

        if (!TryExecute(entry, me, h))
        {
            return;
        }

        var actor = ActorLayout.HThread(cluster, h);
        var cycles = (entry.Kind == EntryKind.Internal ? 0 : Definition.Costs.TrapEntryCycles) + Kernel.SectionCycles;
        if (holdsBkl && outcome.Teardowns.AnyOpen)
        {
            outcome.Teardowns.BklHeld(cluster, cycles);
        }

        slots[h].FollowUp = Kernel.FollowUp;
        slots[h].AwaitingRemote = Kernel.AwaitsRemoteReply;
        Kernel.EndSection();
        if (!slots[h].AwaitingRemote)
        {
            sink.Send(actor, actor, cycles, EventKinds.KernelExit, slots[h].Generation, holdsBkl ? 1 : 0);
        }
    }

    /// <summary>The section's cycles are over: release the BKL, then run the follow-up path or return to the guest.</summary>
    private void OnKernelExit(int h, bool heldBkl)
    {
        Kernel.HThreadStates[h].HoldsBkl = false;
        if (heldBkl)
        {
            ReleaseBkl(ActorLayout.HThread(cluster, h));
        }

        if (slots[h].FollowUp is { } followUp)
        {
            slots[h].FollowUp = null;
            EnterKernel(h, followUp);
        }
        else
        {
            Kernel.HThreadStates[h].Mode = Kernel.Runlist[h] is null ? HThreadMode.Idle : HThreadMode.Guest;
            Continue(h);
        }

        DispatchPendingInterrupts();
    }

    /// <summary>The answer to this hthread's remote VMOP_STATUS arrived: the trap returns it.</summary>
    private void RemoteReplyArrived(int h, long value)
    {
        if (!slots[h].AwaitingRemote || Kernel.Runlist[h] is not { } me)
        {
            Fail("violation", $"hthread {h}: a VMOP_STATUS answer arrived that nobody waits for", "interconnect");
            return;
        }

        slots[h].AwaitingRemote = false;
        me.R00 = value;
        OnKernelExit(h, heldBkl: false);
    }

    // ---- interrupts ----

    /// <summary>An interrupt raised with swi reached the controller: pending (or coalesced), then taken if anyone can.</summary>
    private void OnInterrupt(long intno)
    {
        if (!Kernel.InterruptArrived((int)intno))
        {
            Note(cluster, KernelNote.InterruptCoalesced, null, intno, 0);
        }

        DispatchPendingInterrupts();
    }

    /// <summary>
    /// Every pending interrupt that some hthread can take now is taken by one of them: which one,
    /// when several can, is a choice point (the hardware does not say).
    /// </summary>
    private void DispatchPendingInterrupts()
    {
        for (var intno = Kernel.PendingInterrupts.NextAtOrAbove(0); intno >= 0; intno = Kernel.PendingInterrupts.NextAtOrAbove(intno + 1))
        {
            var able = Kernel.CanTakeNowMask(intno);
            if (able == 0)
            {
                continue;
            }

            var count = 0;
            for (var mask = able; mask != 0; mask &= mask - 1)
            {
                candidates[count++] = (uint)BitOperations.TrailingZeroCount(mask);
            }

            var taker = (int)candidates[Kernel.Choices.Choose(ChoiceKind.InterruptTaker, candidates.AsSpan(0, count), intno)];
            TakeInterruptOn(taker, intno);
        }
    }

    /// <summary>hthread h takes the interrupt: its pending bit clears (auto-disabled until ciad) and the handler runs.</summary>
    private void TakeInterruptOn(int h, int intno)
    {
        Kernel.TakeInterrupt(intno);
        PreemptSpin(h);
        EnterKernel(h, new KernelEntry(EntryKind.Interrupt, intno));
    }
}
