using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Builds the H2 system model's partitions from a definition (C# API or scenario file). A cluster
/// is a placement group: actors c·80 … c·80+79 (<see cref="ActorLayout"/>).
/// </summary>
public sealed class H2SystemFactory(SystemDefinition definition) : IModelFactory, IFaultClassifier
{
    /// <summary>
    /// Which messages a fault plan may touch, by kind name: the IPIs by interrupt number (a VM IPI
    /// raised by kill_thread_locked is a KILL), CHILDINT (local or over the interconnect), timer
    /// expiries, KILL over the interconnect, and the relationship's other interconnect messages.
    /// </summary>
    public string? FaultKind(in SimEvent ev) => Classify(ev);

    /// <summary>The fault kind of a kernel-model message (shared by every factory of the model).</summary>
    public static string? Classify(in SimEvent ev) => ev.Kind switch
    {
        EventKinds.Interrupt when ev.B == 1 => "KILL",
        EventKinds.Interrupt => ev.A switch
        {
            KernelConstants.VmIpiInt => "VM_IPI",
            KernelConstants.ReschedInt => "RESCHED_INT",
            KernelConstants.ClusterReschedInt => "CLUSTER_RESCHED_INT",
            _ => "VM_INTERRUPT",
        },
        EventKinds.ChildInt => "CHILDINT",
        EventKinds.TimerExpiry => "TIMER",
        EventKinds.RemoteBase + (int)RemoteMessage.ChildInt => "CHILDINT",
        EventKinds.RemoteBase + (int)RemoteMessage.ChildExited => "CHILDINT",
        EventKinds.RemoteBase + (int)RemoteMessage.Kill => "KILL",
        EventKinds.RemoteBase + (int)RemoteMessage.Free => "VMOP_FREE",
        > EventKinds.RemoteBase and < EventKinds.RemoteBase + 16 => "INTERCONNECT",
        _ => null,
    };

    public SystemDefinition Definition { get; } = definition;

    /// <summary>The models built by the last Create calls, by partition (tests look inside).</summary>
    public Dictionary<int, H2SystemModel> Built { get; } = new();

    public ModelTopology Topology(ModelSpec spec) =>
        new((uint)(Definition.Topology.Clusters * ActorLayout.PerCluster), Definition.Topology.Clusters, ActorLayout.ClusterOf)
        {
            // A context has about one event pending (its hthread's step, a timer, a message).
            PendingEventsHint = Definition.Vms.Sum(vm => (long)vm.MaxCpus),
        };

    public ISimModel Create(ModelSpec spec, PartitionView view)
    {
        var model = new H2SystemModel(spec, view, Definition);
        Built[view.Partition] = model;
        return model;
    }

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        OutcomeReport.Merge(Definition, reports, reason, endCycles);
}
