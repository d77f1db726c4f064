using H2Sim.Core.Input;
using H2Sim.Core.Run;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>The library API: build a spec for a system and run it in this process.</summary>
public static class H2Run
{
    /// <summary>
    /// The lookahead between partitions: the minimum cross-cluster latency (architecture.md §5),
    /// i.e. interconnect-latency, the delay of every message between clusters (faults only add to
    /// it). A cluster is never split, so no shorter message crosses partitions.
    /// </summary>
    public static ulong LookaheadCycles(CostModel costs) =>
        costs.InterconnectLatencyCycles >= 1
            ? costs.InterconnectLatencyCycles
            : throw new InputException("interconnect-latency must be at least 1 cycle: it is the lookahead that lets clusters run in separate partitions");

    public static ModelSpec Spec(KernelVariant kernel, KernelBug bugs = KernelBug.None, ulong seed = 1, ulong horizonCycles = 50_000_000, string scenario = "api", FaultPlan? faults = null, CheckMode? check = null, CostModel? costs = null)
    {
        var spec = new ModelSpec
        {
            Model = "kernel",
            Seed = seed,
            HorizonCycles = horizonCycles,
            LookaheadCycles = LookaheadCycles(costs ?? CostModel.Defaults),
            Kernel = new KernelParams { Kernel = kernel.Name(), ScenarioName = scenario, Check = (check ?? CheckModes.Default).Name() },
        };
        spec.Kernel.Bugs.AddRange(KernelBugs.NamesOf(bugs));
        if (faults is not null)
        {
            spec.Faults = faults;
        }

        return spec;
    }

    public static (RunResult Result, H2SystemFactory Factory) Run(
        SystemDefinition definition,
        KernelVariant kernel,
        KernelBug bugs = KernelBug.None,
        ulong seed = 1,
        ulong horizonCycles = 50_000_000,
        int partitions = 1,
        Core.Partitioning.IDeliveryObserver? observer = null,
        FaultPlan? faults = null,
        CheckMode? check = null)
    {
        var factory = new H2SystemFactory(definition);
        var result = InProcessRunner.Run(Spec(kernel, bugs, seed, horizonCycles, definition.Name, faults, check, definition.Costs), factory, partitions, observer);
        return (result, factory);
    }
}
