using H2Sim.Core.Model;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// One Hexagon cluster at run time: its kernel instance and its logical actors — the hthreads,
/// the vmblocks (agents for kernel work that arrives as a message), the device that raises
/// hardware interrupts and the BKL's arbiter (h2-domain.md §4.2, §13.2). Split by role:
/// ClusterRuntime.HThreads.cs (guest stepping, kernel entries, interrupts), .Bkl.cs (arbitration
/// and handover), .VmAgents.cs (message work under the BKL), .Effects.cs (the kernel's messages),
/// .Guest.cs (guest programs and what they report).
/// </summary>
public sealed partial class ClusterRuntime : IKernelEffects
{
    private readonly int cluster;
    private readonly HThreadSlot[] slots;
    private readonly SystemOutcome outcome;

    // Candidates of a choice point, reused so a choice allocates nothing.
    private readonly uint[] candidates = new uint[ActorLayout.PerCluster];
    private IEventSink sink = null!;
    private uint currentAgent;

    public ClusterRuntime(SystemDefinition definition, int cluster, KernelVariant variant, KernelBug bugs, ulong seed, SystemOutcome outcome, FaultPlan? faults = null, Schedule? schedule = null, bool fullCheck = false, GuestJitter? guestJitter = null, KernelPolicies? policies = null)
    {
        Definition = definition;
        this.cluster = cluster;
        this.outcome = outcome;
        Kernel = new Kernel(cluster, definition.Topology.HThreadsPerCluster, variant, bugs, definition.Costs, this, seed, faults, schedule, policies)
        {
            FullCheckEverySection = fullCheck,
        };
        definition.TestKernelHook?.Invoke(Kernel);
        GuestTiming = new GuestTiming(cluster, seed, guestJitter);
        slots = new HThreadSlot[Kernel.HThreads];
        for (var h = 0; h < slots.Length; h++)
        {
            slots[h] = new HThreadSlot();
        }

        for (var v = 0; v < KernelConstants.MaxVms; v++)
        {
            pendingWork[v] = new Queue<AgentWork>();
        }

        raises = faults?.Raises.Where(r => r.Cluster == (uint)cluster).ToArray() ?? [];
    }

    public SystemDefinition Definition { get; }

    public Kernel Kernel { get; }

    public IKernelEffects Effects => this;

    /// <summary>How guest steps' durations are perturbed (the guest-timing choice point).</summary>
    public GuestTiming GuestTiming { get; }

    /// <summary>Optional observer of what exploration counts as coverage (kills, interrupt arrivals, choices); null on the fast path.</summary>
    public IExploreObserver? ExploreObserver { get; set; }

    /// <summary>Optional observer of every BKL acquisition by an hthread (sweeps report who won each race); null on the fast path.</summary>
    public Action<BklAcquisition>? BklAcquired { get; set; }

    private ITimelineSink? Timeline => Definition.Timeline;

    public ulong NowCycles => sink.NowCycles;

    /// <summary>True when this cluster has VMs, so a booter runs here.</summary>
    public bool HasBooter => Definition.Vms.Any(v => v.Cluster == cluster);

    /// <summary>Boots the cluster: every hthread idle, the boot VM's booter ready, hthread 0 kicked; device raises scheduled.</summary>
    public void Start(IEventSink eventSink)
    {
        sink = eventSink;
        Kernel.WaitMask = Kernel.AllHThreadsMask;
        Kernel.PrioMask = Kernel.AllHThreadsMask;
        ScheduleDeviceRaises();
        if (!HasBooter)
        {
            return;
        }

        Kernel.SetupBootVm("booter", Definition.Programs.PcOf(Guest.Booter.ProgramName), bestPrio: 1);
        currentAgent = ActorLayout.HThread(cluster, 0);
        sink.Send(currentAgent, currentAgent, 0, EventKinds.Boot);
    }

    public void Deliver(in Core.Events.SimEvent ev, IEventSink eventSink)
    {
        sink = eventSink;
        currentAgent = ev.Target;
        var local = ActorLayout.LocalIndex(ev.Target);
        if (local < ActorLayout.VmBlockBase)
        {
            DeliverToHThread(local, ev);
        }
        else if (local < ActorLayout.DeviceOffset)
        {
            DeliverToVmBlock(local - ActorLayout.VmBlockBase, ev);
        }
        else if (local == ActorLayout.DeviceOffset)
        {
            DeliverToDevice(ev);
        }
        else if (ev.Kind == EventKinds.BklArbitrate)
        {
            Arbitrate();
        }
    }

    /// <summary>The full invariant scan at the end of the run: a violation found there ends it as one.</summary>
    public void CheckAtEnd()
    {
        try
        {
            Kernel.CheckInvariants();
        }
        catch (KernelInvariantException e)
        {
            Fail("violation", $"at the end of the run: {e.Message}", e.Invariant);
        }
    }

    /// <summary>hthreads still in the kernel at the end and what each waits for (for the end-of-run report).</summary>
    public IEnumerable<string> KernelWaits()
    {
        for (var h = 0; h < slots.Length; h++)
        {
            var state = Kernel.HThreadStates[h];
            if (slots[h].AwaitingRemote)
            {
                yield return $"cluster {cluster} hthread {h}: {Kernel.Runlist[h]} waits in {slots[h].PendingEntry.Name} for a remote VMOP_STATUS answer";
            }
            else if (state.Mode is HThreadMode.Spinning or HThreadMode.InKernel)
            {
                yield return $"cluster {cluster} hthread {h}: {state.Mode} in {slots[h].PendingEntry.Name}";
            }
        }
    }

    /// <summary>Fails the run: the outcome says what and where; no more events are delivered.</summary>
    private void Fail(string kind, string detail, string? invariant) =>
        outcome.Fail(kind, $"cluster {cluster} at cycle {NowCycles}: {detail}", NowCycles, invariant);

    /// <summary>What one hthread is doing beyond its kernel-visible state.</summary>
    private sealed class HThreadSlot
    {
        /// <summary>Bumped whenever a pending guest-resume event must be ignored (an interrupt cut the spin short).</summary>
        public long Generation;

        /// <summary>The kernel entry the hthread is spinning for or running.</summary>
        public KernelEntry PendingEntry;

        /// <summary>When it entered the kernel (to report how long it spun).</summary>
        public ulong EnteredAt;

        /// <summary>A kernel path the last section left for this hthread to run next.</summary>
        public KernelEntry? FollowUp;

        /// <summary>True while the hthread waits in the kernel for a remote VMOP_STATUS answer.</summary>
        public bool AwaitingRemote;
    }
}
