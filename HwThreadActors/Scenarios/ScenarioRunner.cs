using System.Globalization;
using H2Sim.Core.Input;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>What a scenario run is made of besides the file: kernel, bugs, seed, parameters, horizon.</summary>
public sealed record ScenarioRunOptions(KernelVariant Kernel, KernelBug Bugs = KernelBug.None, ulong Seed = 1, IReadOnlyDictionary<string, long>? Params = null, ulong HorizonCycles = 0, int Partitions = 1, Protocol.Model.FaultPlan? Faults = null)
{
    /// <summary>`--cost NAME=CYCLES` overrides, on top of hocon/costs.conf and the scenario's `costs:`.</summary>
    public IReadOnlyDictionary<string, ulong>? Costs { get; init; }

    /// <summary>The review kernel's `--policy NAME=VALUE` pairs (none: its defaults; ignored by no kernel, refused for others at the CLI).</summary>
    public KernelPolicies? Policies { get; init; }

    /// <summary>`--check`: incremental or full (null: <see cref="CheckModes.Default"/>).</summary>
    public CheckMode? Check { get; init; }

    /// <summary>How the choice points are decided (null: from the seed).</summary>
    public Protocol.Model.Schedule? Schedule { get; init; }

    /// <summary>How guest steps' durations are perturbed (null: as written).</summary>
    public Protocol.Model.GuestJitter? GuestJitter { get; init; }
}

/// <summary>One finished scenario run: the engine's result and the verdict judged from it.</summary>
public sealed record ScenarioRunResult(Scenario Scenario, ScenarioRunOptions Options, RunResult Result, Verdict Verdict)
{
    public ModelReport Report => Result.Report;
}

/// <summary>
/// The library API for scenarios: the spec a run is described by (so the Akka engine can rebuild
/// it anywhere) and an in-process run through <see cref="InProcessRunner"/> (the suite and the
/// sweep: no actor system to start, same windows and trace hash as the Akka engine).
/// </summary>
public static class ScenarioRunner
{
    public static ModelSpec Spec(Scenario scenario, ScenarioRunOptions options)
    {
        var values = scenario.ParameterValues(options.Params);
        var costs = CostModel.Defaults.With(scenario.Costs).With(options.Costs ?? new Dictionary<string, ulong>());
        var spec = H2Run.Spec(options.Kernel, options.Bugs, options.Seed, options.HorizonCycles == 0 ? scenario.HorizonCycles : options.HorizonCycles, scenario.File, check: options.Check, costs: costs);
        spec.Kernel.ScenarioText = scenario.Text;
        if (options.Faults is not null)
        {
            foreach (var raise in options.Faults.Raises)
            {
                if (raise.Cluster >= scenario.Topology.Clusters)
                {
                    throw new InputException($"a device raise on cluster {raise.Cluster}: scenario '{scenario.Name}' has clusters 0..{scenario.Topology.Clusters - 1}");
                }
            }

            spec.Faults = options.Faults;
        }

        if (options.Schedule is not null)
        {
            spec.Schedule = options.Schedule;
        }

        if (options.GuestJitter is not null)
        {
            spec.GuestJitter = options.GuestJitter;
        }

        foreach (var (name, value) in options.Policies?.Pairs() ?? [])
        {
            spec.Kernel.Policies[name] = value;
        }

        foreach (var (name, cycles) in options.Costs ?? new Dictionary<string, ulong>())
        {
            spec.Kernel.CostOverridesCycles[name] = cycles;
        }

        foreach (var (name, _) in options.Params ?? new Dictionary<string, long>())
        {
            spec.Kernel.Params[name] = values[name].ToString(CultureInfo.InvariantCulture);
        }

        return spec;
    }

    public static ScenarioRunResult Run(Scenario scenario, ScenarioRunOptions options, Action<BklAcquisition>? bklObserver = null, Core.Partitioning.IDeliveryObserver? observer = null, Timeline.ITimelineSink? timeline = null)
    {
        var spec = Spec(scenario, options);
        var definition = scenario.Build(options.Params, options.Costs);
        definition.Timeline = timeline;
        var factory = new ScenarioModelFactory(definition, bklObserver);
        var result = InProcessRunner.Run(spec, factory, options.Partitions, observer);
        return new ScenarioRunResult(scenario, options, result, Verdict.Judge(scenario, result.Report));
    }
}
