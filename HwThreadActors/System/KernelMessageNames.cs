using System.Globalization;
using H2Sim.Core.Events;
using H2Sim.Core.Model;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// The kernel model's names for people (`h2sim log`, timelines): actors by cluster and hthread or
/// vmblock (with the VM's scenario name where the definition says which VM gets the slot), kinds
/// by <see cref="EventKinds.Name"/> (`kind-N` for one it does not know), fault kinds by
/// <see cref="H2SystemFactory.Classify"/>. A new event kind gets its name in EventKinds.Name and
/// nothing here changes.
/// </summary>
public sealed class KernelMessageNames : IMessageNames
{
    private readonly Dictionary<(int Cluster, int Vmidx), string> vmNames = new();

    /// <param name="definition">The system the log ran, for VM names; null names slots by number only.</param>
    public KernelMessageNames(SystemDefinition? definition)
    {
        if (definition is null)
        {
            return;
        }

        for (var cluster = 0; cluster < definition.Topology.Clusters; cluster++)
        {
            vmNames[(cluster, KernelConstants.BootVmIndex)] = "booter";
        }

        foreach (var vm in definition.Vms)
        {
            vmNames[(vm.Cluster, definition.ExpectedVmidx(vm))] = vm.Name;
        }
    }

    public string Actor(uint actor)
    {
        var cluster = ActorLayout.ClusterOf(actor);
        if (ActorLayout.IsHThread(actor))
        {
            return $"c{cluster}/hthread {ActorLayout.LocalIndex(actor)}";
        }

        if (actor == ActorLayout.Device(cluster))
        {
            return $"c{cluster}/device";
        }

        if (actor == ActorLayout.Arbiter(cluster))
        {
            return $"c{cluster}/bkl-arbiter";
        }

        var vmidx = ActorLayout.VmidxOf(actor);
        return VmName(cluster, vmidx) is { } name ? $"c{cluster}/vm {vmidx} ({name})" : $"c{cluster}/vm {vmidx}";
    }

    /// <summary>The scenario's name for the VM in slot <paramref name="vmidx"/> of a cluster; null when none is known.</summary>
    public string? VmName(int cluster, int vmidx) => vmNames.TryGetValue((cluster, vmidx), out var name) ? name : null;

    public string Kind(int kind) => EventKinds.Name(kind);

    public string? FaultKind(in SimEvent ev) => H2SystemFactory.Classify(ev);

    public string Arguments(in SimEvent ev) => ev.Kind switch
    {
        EventKinds.Interrupt => $"int {ev.A}{(ev.B == 1 ? ", KILL delivery" : string.Empty)}",
        EventKinds.ChildInt => string.Create(CultureInfo.InvariantCulture, $"child vm {ev.B}, status 0x{ev.C:x}, parent {new ThreadId((uint)ev.A)}"),
        EventKinds.KernelNote => Enum.IsDefined((KernelNote)ev.A) ? ((KernelNote)ev.A).ToString() : $"note {ev.A}",
        EventKinds.Choice => ChoiceText(ev),
        EventKinds.DeviceRaise => $"int {ev.A}",
        EventKinds.GuestJitter => string.Create(CultureInfo.InvariantCulture, $"context {new ThreadId((uint)ev.A)} step {ev.B}: {ev.C:+#;-#;0} cycles"),
        _ => string.Empty,
    };

    private static string ChoiceText(in SimEvent ev)
    {
        var (kind, subject, count) = ChoiceRecord.Decode(ev.A);
        var what = kind == ChoiceKind.InterruptTaker ? $"{kind} of int {subject}" : kind.ToString();
        return $"{what}: candidate {ev.B} of {count} ({(kind == ChoiceKind.InterruptTaker ? "hthread" : "agent")} {ev.C})";
    }
}
