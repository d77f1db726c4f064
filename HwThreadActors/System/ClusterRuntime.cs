using H2Sim.Core.Model;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// One Hexagon cluster at run time: its kernel instance and its hthreads as logical actors. An
/// hthread runs its context's guest program (spins are events), traps into the kernel (spinning
/// for the BKL when it is held), holds the BKL for the section's cycles, and takes interrupts only
/// in guest mode or idle (h2-domain.md §4.2, §13.2). Messages that carry kernel work to a vmblock
/// (CHILDINT) take the BKL the same way, as that vmblock's agent.
/// </summary>
public sealed class ClusterRuntime : IKernelEffects
{
    private const int GuestStepLimit = 100_000;

    private readonly int cluster;
    private readonly HThreadSlot[] slots;
    private readonly Queue<(int Kind, uint Source, long A, long B, long C)>[] pendingWork = new Queue<(int, uint, long, long, long)>[KernelConstants.MaxVms];
    private readonly bool[] vmAgentBusy = new bool[KernelConstants.MaxVms];
    private readonly VmDefinition?[] boundChildren = new VmDefinition?[KernelConstants.MaxVms];
    private readonly SystemOutcome outcome;
    private IEventSink sink = null!;
    private uint currentAgent;

    public ClusterRuntime(SystemDefinition definition, int cluster, KernelVariant variant, KernelBug bugs, ulong seed, SystemOutcome outcome, Protocol.Model.FaultPlan? faults = null)
    {
        Definition = definition;
        this.cluster = cluster;
        this.outcome = outcome;
        Kernel = new Kernel(cluster, definition.Topology.HThreadsPerCluster, variant, bugs, definition.Costs, this, seed, faults?.CostJitterPercent ?? 0, faults?.BklSeed ?? 0);
        definition.TestKernelHook?.Invoke(Kernel);
        slots = new HThreadSlot[Kernel.HThreads];
        for (var h = 0; h < slots.Length; h++)
        {
            slots[h] = new HThreadSlot();
        }

        for (var v = 0; v < KernelConstants.MaxVms; v++)
        {
            pendingWork[v] = new Queue<(int, uint, long, long, long)>();
        }
    }

    public SystemDefinition Definition { get; }

    public Kernel Kernel { get; }

    public IKernelEffects Effects => this;

    /// <summary>Optional observer of every BKL acquisition by an hthread (sweeps report who won each race); null on the fast path.</summary>
    public Action<BklAcquisition>? BklAcquired { get; set; }

    private ITimelineSink? Timeline => Definition.Timeline;

    public ulong NowCycles => sink.NowCycles;

    /// <summary>True when this cluster has VMs, so a booter runs here.</summary>
    public bool HasBooter => Definition.Vms.Any(v => v.Cluster == cluster);

    /// <summary>Boots the cluster: every hthread idle, the boot VM's booter ready, hthread 0 kicked.</summary>
    public void Start(IEventSink eventSink)
    {
        sink = eventSink;
        Kernel.WaitMask = Kernel.AllHThreadsMask;
        Kernel.PrioMask = Kernel.AllHThreadsMask;
        if (!HasBooter)
        {
            return;
        }

        Kernel.SetupBootVm("booter", Definition.Programs.PcOf(Booter.ProgramName), bestPrio: 1);
        currentAgent = ActorLayout.HThread(cluster, 0);
        sink.Send(currentAgent, currentAgent, 0, EventKinds.Boot);
    }

    public void Deliver(in Core.Events.SimEvent ev, IEventSink eventSink)
    {
        sink = eventSink;
        currentAgent = ev.Target;
        if (ActorLayout.IsHThread(ev.Target))
        {
            DeliverToHThread(ActorLayout.LocalIndex(ev.Target), ev);
        }
        else
        {
            DeliverToVmBlock(ActorLayout.VmidxOf(ev.Target), ev);
        }
    }

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
                OnInterrupt(h, (int)ev.A);
                break;
            case EventKinds.TimerExpiry:
                OnInterrupt(h, KernelConstants.TimerInt);
                break;
            case EventKinds.Boot:
                EnterKernel(h, new KernelEntry(EntryKind.Interrupt, KernelConstants.ReschedInt));
                break;
        }
    }

    private void DeliverToVmBlock(int vmidx, in Core.Events.SimEvent ev)
    {
        switch (ev.Kind)
        {
            case EventKinds.ChildInt:
            case >= EventKinds.RemoteBase and < EventKinds.RemoteBase + 16:
                pendingWork[vmidx].Enqueue((ev.Kind, ev.Source, ev.A, ev.B, ev.C));
                TryStartVmAgent(vmidx);
                break;
            case EventKinds.BklGrant:
                RunVmAgent(vmidx);
                break;
            case EventKinds.KernelExit:
                ReleaseBkl(currentAgent);
                vmAgentBusy[vmidx] = false;
                Timeline?.OnState(cluster, 100 + vmidx, NowCycles, TimelineState.Idle, "idle");
                TryStartVmAgent(vmidx);
                DispatchPendingInterrupts(-1);
                break;
        }
    }

    // ---- hthreads ----

    /// <summary>Returns to guest mode on hthread h: take a pending interrupt first, else run the guest.</summary>
    private void Continue(int h)
    {
        for (var step = 0; step < GuestStepLimit; step++)
        {
            var intno = Kernel.TakeableInterrupt(h);
            if (intno >= 0)
            {
                Kernel.TakeInterrupt(intno);
                PreemptSpin(h);
                EnterKernel(h, new KernelEntry(EntryKind.Interrupt, intno));
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
            var exec = ExecutionOf(context);
            if (context.GuestEvent >= 0)
            {
                // A guest event: the handler at gevb runs first; r0 is saved and restored around it.
                context.GuestEvent = -1;
                exec.Push(WithSavedR0(context, HandlerFor(context, exec.Thread)));
            }

            if (exec.SpinRemaining > 0)
            {
                ScheduleSpin(h, exec, exec.SpinRemaining);
                return;
            }

            var action = exec.Next();
            if (action is not { } next)
            {
                EnterKernel(h, new KernelEntry(EntryKind.Trap0, Trap0.ThreadStop));
                return;
            }

            switch (next.Kind)
            {
                case GuestActionKind.Spin when next.Cycles == 0:
                    continue;
                case GuestActionKind.Spin:
                    ScheduleSpin(h, exec, next.Cycles);
                    return;
                case GuestActionKind.Trap:
                    EnterKernel(h, next.Entry);
                    return;
                case GuestActionKind.Print:
                    outcome.Printed.Add($"{context.VmBlock.Name}: {next.Text}");
                    ScheduleSpin(h, exec, Definition.Costs.GuestPrint);
                    return;
                case GuestActionKind.Call:
                    exec.Push(next.Routine!);
                    continue;
            }
        }

        Fail("violation", $"hthread {h}: guest ran {GuestStepLimit} steps without spending a cycle", "guest-progress");
    }

    private void ScheduleSpin(int h, GuestExecution exec, ulong cycles)
    {
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

        if (Kernel.Bkl.TryAcquire(ActorLayout.HThread(cluster, h)))
        {
            RunEntry(h, entry, holdsBkl: true);
        }
    }

    /// <summary>Runs one kernel path as an atomic critical section; it lasts the cycles it charged.</summary>
    private void RunEntry(int h, KernelEntry entry, bool holdsBkl)
    {
        Kernel.HThreadStates[h].Mode = HThreadMode.InKernel;
        Kernel.HThreadStates[h].HoldsBkl = holdsBkl;
        Timeline?.OnState(cluster, h, NowCycles, TimelineState.Kernel, holdsBkl ? $"BKL held: {entry.Name}" : entry.Name, TimelineContext.Of(Kernel.Runlist[h]));
        Kernel.BeginSection(h);
        var me = Kernel.Runlist[h];
        if (holdsBkl && BklAcquired is { } observer)
        {
            observer(new BklAcquisition(NowCycles, cluster, h, me, entry, NowCycles - slots[h].EnteredAt, SpinnersNow()));
        }

        if (!RunKernelCode(() => Kernel.Execute(entry, me, h), me))
        {
            return;
        }

        var actor = ActorLayout.HThread(cluster, h);
        var cycles = Definition.Costs.TrapEntry + Kernel.SectionCycles;
        Kernel.EndSection();
        sink.Send(actor, actor, cycles, EventKinds.KernelExit, slots[h].Generation, holdsBkl ? 1 : 0);
    }

    private void OnKernelExit(int h, bool heldBkl)
    {
        Kernel.HThreadStates[h].HoldsBkl = false;
        if (heldBkl)
        {
            ReleaseBkl(ActorLayout.HThread(cluster, h));
        }

        Kernel.HThreadStates[h].Mode = Kernel.Runlist[h] is null ? HThreadMode.Idle : HThreadMode.Guest;
        Continue(h);
        DispatchPendingInterrupts(h);
    }

    private void OnInterrupt(int h, int intno)
    {
        if (!Kernel.InterruptArrived(intno))
        {
            Note(cluster, KernelNote.InterruptCoalesced, null, intno, h);
        }

        DispatchPendingInterrupts(h);
    }

    /// <summary>Each pending interrupt is taken by one hthread that may take it now, the addressed one first.</summary>
    private void DispatchPendingInterrupts(int preferred)
    {
        for (var round = 0; round <= slots.Length && !Kernel.PendingInterrupts.IsEmpty; round++)
        {
            var taken = false;
            for (var i = -1; i < slots.Length && !taken; i++)
            {
                var candidate = i < 0 ? preferred : i;
                if (candidate < 0 || (i >= 0 && candidate == preferred))
                {
                    continue;
                }

                if (Kernel.TakeableInterrupt(candidate) >= 0)
                {
                    Continue(candidate);
                    taken = true;
                }
            }

            if (!taken)
            {
                return;
            }
        }
    }

    private void ReleaseBkl(uint agent)
    {
        var next = Kernel.Bkl.Release(agent, Kernel.ChooseSpinner);
        if (next is { } granted)
        {
            sink.Send(agent, granted, Definition.Costs.BklHandover, EventKinds.BklGrant);
        }
    }

    // ---- vmblock agents: kernel work carried by messages ----

    private void TryStartVmAgent(int vmidx)
    {
        if (vmAgentBusy[vmidx] || pendingWork[vmidx].Count == 0 || outcome.Stopped)
        {
            return;
        }

        vmAgentBusy[vmidx] = true;
        if (Kernel.Bkl.TryAcquire(ActorLayout.VmBlock(cluster, vmidx)))
        {
            RunVmAgent(vmidx);
        }
    }

    private void RunVmAgent(int vmidx)
    {
        var work = pendingWork[vmidx].Dequeue();
        Kernel.BeginSection(-1);
        Timeline?.OnState(cluster, 100 + vmidx, NowCycles, TimelineState.Kernel, $"BKL held: {EventKinds.Name(work.Kind)} work");
        Action code = work.Kind == EventKinds.ChildInt
            ? () => Kernel.ChildIntArrived(new ThreadId((uint)work.A), (int)work.B)
            : () => Kernel.RemoteArrived((RemoteMessage)(work.Kind - EventKinds.RemoteBase), vmidx, ActorLayout.ClusterOf(work.Source), work.A, work.B, work.C);
        if (!RunKernelCode(code, null))
        {
            return;
        }

        var actor = ActorLayout.VmBlock(cluster, vmidx);
        var cycles = Kernel.SectionCycles;
        Kernel.EndSection();
        sink.Send(actor, actor, cycles, EventKinds.KernelExit, 0, 1);
    }

    /// <summary>Runs kernel code and the invariant check; failures end the run with an outcome.</summary>
    private bool RunKernelCode(Action code, ThreadContext? me)
    {
        try
        {
            code();
            Kernel.CheckInvariantsAfterSection();
            return true;
        }
        catch (KernelInvariantException e)
        {
            Fail("violation", e.Message, e.Invariant);
        }
        catch (BklDeadlockException e)
        {
            Fail("deadlock", e.Message, null);
        }
        catch (AngelExitException e)
        {
            outcome.AngelExit(me?.VmBlock.Name ?? "?", e.Code);
        }

        return false;
    }

    private void Fail(string kind, string detail, string? invariant) =>
        outcome.Fail(kind, $"cluster {cluster} at cycle {NowCycles}: {detail}", NowCycles, invariant);

    // ---- guest state ----

    private GuestExecution ExecutionOf(ThreadContext context)
    {
        if (context.Guest is GuestExecution existing)
        {
            return existing;
        }

        var thread = new GuestThread(this, context);
        var exec = new GuestExecution(thread);
        var (_, program) = Definition.Programs.At(context.EntryPc);
        var main = boundChildren[context.VmBlock.Vmidx] is { } vm && Definition.Programs.PcOf(vm.MainProgram) == context.EntryPc;
        exec.Push(main ? RunMain(program, thread) : RunThread(program, thread));
        context.Guest = exec;
        return exec;
    }

    /// <summary>crt0: return from main is exit(0).</summary>
    private static IEnumerable<GuestAction> RunMain(GuestProgram program, GuestThread thread)
    {
        yield return GuestAction.Call(program(thread));
        yield return GuestAction.Call(GuestLib.SysExit(thread, 0));
    }

    /// <summary>A raw thread that returns stops itself.</summary>
    private static IEnumerable<GuestAction> RunThread(GuestProgram program, GuestThread thread)
    {
        yield return GuestAction.Call(program(thread));
        yield return GuestAction.Trap0(Trap0.ThreadStop, 0);
    }

    private IEnumerable<GuestAction> HandlerFor(ThreadContext context, GuestThread thread)
    {
        if (context.Gevb == 0)
        {
            // No vector set: the event is dropped by a guest that never asked for one.
            return [GuestAction.VmTrap(Trap1.Return)];
        }

        return Definition.Programs.At(context.Gevb).Program(thread);
    }

    private static IEnumerable<GuestAction> WithSavedR0(ThreadContext context, IEnumerable<GuestAction> handler)
    {
        var saved = context.R00;
        foreach (var action in handler)
        {
            yield return action;
        }

        context.R00 = saved;
    }

    public long AddressOf(VmBlock vm, string name, int words)
    {
        if (!vm.Symbols.TryGetValue(name, out var address))
        {
            address = vm.NextAddress;
            vm.NextAddress += 8L * Math.Max(1, words);
            vm.Symbols[name] = address;
        }

        return address;
    }

    public void BindChild(int vmidx, VmDefinition definition) => boundChildren[vmidx] = definition;

    public void ReportBooterDone() => outcome.BootersDone.Add(cluster);

    public void RecordRemoteChildExit(long handle, long status)
    {
        var (childCluster, vmidx) = Kernel.FromRemoteHandle(handle);
        var child = Definition.Vms.First(v => v.Cluster == childCluster && Definition.ExpectedVmidx(v) == vmidx);
        outcome.ChildExits[(childCluster, vmidx)] = (child.Name, status);
    }

    public VmDefinition? ChildAt(int vmidx) => boundChildren[vmidx];

    public void RecordChildExit(int vmidx, long status) =>
        outcome.ChildExits[(cluster, vmidx)] = (boundChildren[vmidx]?.Name ?? $"vm{vmidx}", status);

    // ---- IKernelEffects: the kernel's messages ----

    /// <summary>
    /// A message raised inside a kernel section leaves at its point in the path: the section's
    /// state changes are applied when it gets the BKL, but a swi that runs after 300 cycles of
    /// kill_vm is raised 300 cycles in. This is what leaves a peer time to trap into the kernel
    /// before its kill IPI lands (R2).
    /// </summary>
    private ulong SectionOffset => Kernel.CurrentHThread >= 0 ? Definition.Costs.TrapEntry + Kernel.SectionCycles : Kernel.SectionCycles;

    /// <summary>The handle a supervisor uses in VMOP calls for its child VM on another cluster.</summary>
    public long RemoteChildHandle(string childName)
    {
        var child = Definition.Vms.FirstOrDefault(v => v.Name == childName)
            ?? throw new ArgumentException($"no VM named '{childName}'");
        return Kernel.RemoteHandle(child.Cluster, Definition.ExpectedVmidx(child));
    }

    public void SendInterrupt(int targetCluster, int targetHThread, int intno, bool killDelivery = false)
    {
        var target = ActorLayout.HThread(targetCluster, targetHThread);
        var latency = target == currentAgent ? 0 : Definition.Costs.IpiLatency;
        sink.Send(currentAgent, target, SectionOffset + latency, EventKinds.Interrupt, intno, killDelivery ? 1 : 0);
    }

    public void SendChildInt(VmBlock child, ThreadId parent, long status)
    {
        var source = ActorLayout.VmBlock(cluster, child.Vmidx);
        var target = ActorLayout.VmBlock(cluster, (int)parent.Vmidx);
        sink.Send(source, target, SectionOffset + Definition.Costs.ChildIntLatency, EventKinds.ChildInt, parent.Raw, child.Vmidx, status);
    }

    public void SendRemote(VmBlock from, int targetCluster, int targetVmidx, RemoteMessage kind, long a, long b, long c)
    {
        var source = ActorLayout.VmBlock(cluster, from.Vmidx);
        var target = ActorLayout.VmBlock(targetCluster, targetVmidx);
        sink.Send(source, target, SectionOffset + Definition.Costs.InterconnectLatency, EventKinds.RemoteBase + (int)kind, a, b, c);
    }

    /// <summary>Makes a just-configured VM the child of a VM on another cluster and tells that cluster.</summary>
    public void LinkRemoteParent(int vmidx, VmDefinition child)
    {
        var parent = Definition.Vms.First(v => v.Name == child.Parent);
        var vm = Kernel.VmBlocks[vmidx]!;
        vm.RemoteParent = new RemoteParentLink(parent.Cluster, Definition.ExpectedVmidx(parent));
        Kernel.AnnounceRemoteChild(vm);
    }

    public void ProgramTimer(int targetCluster, ulong deadlineCycles)
    {
        var delay = deadlineCycles > NowCycles ? deadlineCycles - NowCycles : 0;
        sink.Send(currentAgent, ActorLayout.HThread(targetCluster, 0), delay, EventKinds.TimerExpiry);
    }

    public void Note(int noteCluster, KernelNote note, VmBlock? vm, long a, long b)
    {
        var target = ActorLayout.VmBlock(noteCluster, vm?.Vmidx ?? 0);
        sink.Send(currentAgent, target, SectionOffset, EventKinds.KernelNote, (long)note, a, b);
    }

    void IKernelEffects.Note(int noteCluster, KernelNote note, VmBlock vm, long a, long b) => Note(noteCluster, note, vm, a, b);

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

    private sealed class HThreadSlot
    {
        public long Generation;
        public KernelEntry PendingEntry;
        public ulong EnteredAt;
    }
}
