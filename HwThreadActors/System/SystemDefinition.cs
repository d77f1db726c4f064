using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// A system to simulate (architecture.md §2): clusters of hthreads, the VMs each cluster's booter
/// starts, and the guest code. Built by tests through the C# API or by the scenario loader.
/// </summary>
public sealed class SystemDefinition
{
    public SystemDefinition(Topology topology)
    {
        Topology = topology;
        Programs.Add(Booter.ProgramName, Booter.Main);
        Programs.Add(Booter.IsrName, Booter.Isr);
    }

    public Topology Topology { get; }

    public ProgramTable Programs { get; } = new();

    public List<VmDefinition> Vms { get; } = new();

    public CostModel Costs { get; set; } = CostModel.Defaults;

    /// <summary>Guest parameters (scenario `--param`), readable by programs.</summary>
    public Dictionary<string, long> Parameters { get; } = new(StringComparer.Ordinal);

    public string Name { get; set; } = "system";

    /// <summary>Where hthreads report their state changes for a timeline; null when none is drawn.</summary>
    public Timeline.ITimelineSink? Timeline { get; set; }

    /// <summary>Test-only: called with each cluster's kernel once it is built (e.g. to corrupt state on purpose).</summary>
    public Action<KernelActors.Kernel>? TestKernelHook { get; set; }

    public long Program(string name, GuestProgram program) => Programs.Add(name, program);

    public VmDefinition AddVm(string name, string mainProgram, int cluster = 0, int maxCpus = 32)
    {
        if (cluster < 0 || cluster >= Topology.Clusters)
        {
            throw new InputException($"VM '{name}': cluster {cluster} does not exist (the topology has {Topology.Clusters})");
        }

        return AddVm(new VmDefinition(name, mainProgram, cluster, maxCpus));
    }

    public VmDefinition AddVm(VmDefinition vm)
    {
        if (vm.Cluster < 0 || vm.Cluster >= Topology.Clusters)
        {
            throw new InputException($"VM '{vm.Name}': cluster {vm.Cluster} does not exist (the topology has {Topology.Clusters})");
        }

        if (Vms.Any(v => v.Name == vm.Name))
        {
            throw new InputException($"VM '{vm.Name}' is defined twice");
        }

        if (vm.Parent is not null && Vms.FirstOrDefault(v => v.Name == vm.Parent) is var parent && (parent is null || parent.Cluster == vm.Cluster))
        {
            throw new InputException($"VM '{vm.Name}': parent '{vm.Parent}' must be a VM defined before it on another cluster");
        }

        Vms.Add(vm);
        return vm;
    }

    public long Parameter(string name, long fallback) => Parameters.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>
    /// The vmidx a VM gets: its cluster's booter is vmidx 1 and configures the cluster's VMs in
    /// definition order into the first free slots (h2-domain.md §3.2), so the n-th gets 2 + n.
    /// </summary>
    public int ExpectedVmidx(VmDefinition vm) => 2 + Vms.Where(v => v.Cluster == vm.Cluster).TakeWhile(v => v != vm).Count();
}

/// <summary>A VM the booter of its cluster configures and boots (h2-domain.md §6.5).</summary>
public sealed class VmDefinition(string name, string mainProgram, int cluster, int maxCpus)
{
    public string Name { get; } = name;

    public string MainProgram { get; } = mainProgram;

    public int Cluster { get; } = cluster;

    public int MaxCpus { get; } = maxCpus;

    /// <summary>Priority VMOP_BOOT gives the first thread (pthread default 100).</summary>
    public int Prio { get; init; } = 100;

    public int BestPrio { get; init; }

    /// <summary>--expect_status: what the booter compares the final status with.</summary>
    public long ExpectStatus { get; init; }

    /// <summary>--boots: how many times the booter boots it.</summary>
    public int Boots { get; init; } = 1;

    /// <summary>
    /// A VM on another cluster that is this VM's parent (the cross-cluster extension); null: the
    /// booter of its own cluster. The local booter still configures and boots it, then leaves it
    /// to its parent, which is told by CHILDINT over the interconnect.
    /// </summary>
    public string? Parent { get; init; }
}

/// <summary>The hardware: clusters of hthreads (h2-domain.md §1).</summary>
public sealed record Topology(int Clusters, int HThreadsPerCluster)
{
    /// <summary>Presets by architecture version: v81 = 16 hthreads in 4 clusters of 4; v73/v68 = 8 (2×4); v65 = 4 (2×2).</summary>
    public static Topology Preset(string name) => name switch
    {
        "v81" => new Topology(4, 4),
        "v73" or "v68" => new Topology(2, 4),
        "v65" => new Topology(2, 2),
        _ => throw new InputException($"unknown topology preset '{name}' (valid: v81, v73, v68, v65)"),
    };

    public int TotalHThreads => Clusters * HThreadsPerCluster;
}
