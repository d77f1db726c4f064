using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// Watches one exploration run: the coverage items it reaches (choices, BKL race pairs, kill ×
/// target state, interrupt × state), the decisions it made (choices and guest-step perturbations,
/// from the trace, so a saved run can force them), and, for the exhaustive strategy, the state
/// fingerprint at each choice point, with the messages in flight.
/// </summary>
public sealed class RunProbe(SystemDefinition definition, bool fingerprints = false) : IExploreObserver, IDeliveryObserver, ISendObserver
{
    private readonly Dictionary<(uint Source, ulong Sequence), SimEvent> inFlight = new();
    private readonly Dictionary<int, List<(ulong Cycles, string Label)>> recentAcquisitions = new();

    public HashSet<CoverageItem> Items { get; } = new();

    public RunDecisions Decisions { get; } = new();

    /// <summary>Each choice point's cluster, ordinal, candidate count and the state fingerprint before it was decided.</summary>
    public List<ChoiceSite> Sites { get; } = new();

    public void OnChoice(ClusterRuntime cluster, ChoiceKind kind, int subject, int count, int index, uint candidate)
    {
        var winner = CandidateLabel(cluster, kind, candidate);
        var what = kind == ChoiceKind.InterruptTaker ? $"{kind} of {InterruptName(subject, false)}" : kind.ToString();
        Items.Add(new CoverageItem(CoverageKind.Choice, $"{what} among {count}", winner));
        var ordinal = cluster.Kernel.Choices.Ordinal - 1;
        Sites.Add(new ChoiceSite(ClusterOf(cluster), ordinal, count, index, fingerprints ? Fingerprint(cluster) : 0));
    }

    public void OnKill(ClusterRuntime cluster, ThreadContext target, TargetState state, bool reap) =>
        Items.Add(new CoverageItem(CoverageKind.Kill, (reap ? "reap " : "kill ") + Label(target), TargetStates.Name(state)));

    public void OnInterruptArrived(ClusterRuntime cluster, int hthread, int intno, bool killDelivery, TargetState state) =>
        Items.Add(new CoverageItem(CoverageKind.Interrupt, InterruptName(intno, killDelivery), TargetStates.Name(state)));

    /// <summary>
    /// A BKL acquisition: the winner got it before every hthread still spinning, and after whoever
    /// held it when the winner started to spin (BklAcquisition's spinners miss that one: it was
    /// already in its section).
    /// </summary>
    public void OnBklAcquired(BklAcquisition acquisition)
    {
        if (acquisition.Context is not { } me)
        {
            return;
        }

        var winner = $"{Label(me)}:{BklRaceLog.EntryName(acquisition.Entry)}";
        foreach (var spinner in acquisition.Spinners)
        {
            if (spinner.Context is { } other && other != me)
            {
                Items.Add(new CoverageItem(CoverageKind.RacePair, winner, $"{Label(other)}:{BklRaceLog.EntryName(spinner.Entry)}"));
            }
        }

        if (!recentAcquisitions.TryGetValue(acquisition.Cluster, out var recent))
        {
            recentAcquisitions[acquisition.Cluster] = recent = new List<(ulong, string)>();
        }

        if (acquisition.SpunCycles > 0)
        {
            var spinStart = acquisition.Cycles - acquisition.SpunCycles;
            var holder = recent.LastOrDefault(r => r.Cycles <= spinStart);
            if (holder.Label is { } first && first != winner)
            {
                Items.Add(new CoverageItem(CoverageKind.RacePair, first, winner));
            }
        }

        recent.Add((acquisition.Cycles, winner));
        if (recent.Count > 16)
        {
            recent.RemoveAt(0);
        }
    }

    public void OnDelivered(int partition, in SimEvent ev)
    {
        Decisions.Observe(ev);
        if (fingerprints)
        {
            inFlight.Remove((ev.Source, ev.Sequence));
        }
    }

    public void OnSent(int partition, ulong sendCycles, in SimEvent ev)
    {
        if (fingerprints && ev.Kind is not (EventKinds.Choice or EventKinds.GuestJitter or EventKinds.KernelNote))
        {
            inFlight[(ev.Source, ev.Sequence)] = ev;
        }
    }

    /// <summary>The cluster's state with the messages in flight (relative times; a guest resume by whether it is still current).</summary>
    private ulong Fingerprint(ClusterRuntime cluster)
    {
        var h = default(StateHasher);
        cluster.Fingerprint(ref h);
        foreach (var ev in inFlight.Values)
        {
            var a = ev.Kind == EventKinds.GuestResume
                ? (cluster.ResumeIsCurrent(ActorLayout.LocalIndex(ev.Target), ev.A) ? 1 : 0)
                : ev.A;
            h.AddUnordered((long)(ev.Time - Math.Min(ev.Time, cluster.NowCycles)) ^ ((long)ev.Target << 40), ev.Kind ^ ((long)ev.Source << 16) ^ (a << 32), ev.B ^ (ev.C << 20));
        }

        return h.Value;
    }

    private string Label(ThreadContext context)
    {
        var thread = BklRaceLog.ThreadLabel(definition, context);
        return context.VmBlock.Vmidx == KernelConstants.BootVmIndex ? "booter" : definition.Vms.Count > 1 ? $"{context.VmBlock.Name}/{thread}" : thread;
    }

    private string CandidateLabel(ClusterRuntime cluster, ChoiceKind kind, uint candidate)
    {
        var h = kind == ChoiceKind.InterruptTaker ? (int)candidate : ActorLayout.LocalIndex(candidate);
        if (kind != ChoiceKind.InterruptTaker && h >= ActorLayout.VmBlockBase)
        {
            return $"vm {h - ActorLayout.VmBlockBase} agent";
        }

        return h < cluster.Kernel.HThreads && cluster.Kernel.Runlist[h] is { } context ? Label(context) : "idle hthread";
    }

    private static int ClusterOf(ClusterRuntime cluster) => cluster.Kernel.Cluster;

    public static string InterruptName(int intno, bool killDelivery) => intno switch
    {
        KernelConstants.VmIpiInt when killDelivery => "KILL (VM IPI)",
        KernelConstants.VmIpiInt => "VM_IPI",
        KernelConstants.ReschedInt => "RESCHED_INT",
        KernelConstants.ClusterReschedInt => "CLUSTER_RESCHED_INT",
        KernelConstants.TimerInt => "TIMER",
        KernelConstants.InterconnectInt => "INTERCONNECT",
        _ => $"int {intno}",
    };
}

/// <summary>A choice point as exhaustive exploration sees it.</summary>
public readonly record struct ChoiceSite(int Cluster, ulong Ordinal, int Count, int Index, ulong Fingerprint);
