using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Recording;

/// <summary>
/// Shrinks a failing run (architecture.md §8): delta debugging (ddmin) over the faults it
/// injected, turned into explicit per-message faults, then greedy reduction of the scenario's
/// removable parts through the model's <see cref="ISpecReducer"/>. A candidate is kept when it
/// fails with the same <see cref="FailureSignature"/>. Every trial is bounded.
/// </summary>
public sealed class Minimizer
{
    private readonly Func<ModelSpec, IModelFactory> resolve;
    private readonly int partitions;
    private readonly int maxTrials;

    public Minimizer(Func<ModelSpec, IModelFactory> resolve, int partitions = 1, int maxTrials = 2_000)
    {
        this.resolve = resolve;
        this.partitions = partitions;
        this.maxTrials = maxTrials;
    }

    public int Trials { get; private set; }

    /// <summary>The faults a recorded run injected, as explicit-id rules (one rule each).</summary>
    public static List<FaultRule> InjectedFaults(RunLog log)
    {
        var rules = new List<FaultRule>();
        foreach (var ev in log.Events.Where(e => e.Kind == EngineEventKinds.FaultInjected))
        {
            var (action, _, delay) = FaultNote.Decode(ev.A);
            var rule = new FaultRule
            {
                Kind = "*",
                Action = action.ToString().ToLowerInvariant(),
                DelayMinCycles = delay,
                DelayMaxCycles = delay,
                Source = -1,
                Target = -1,
            };
            rule.Ids.Add(new MessageId { Source = (uint)ev.B, Sequence = (ulong)ev.C });
            rules.Add(rule);
        }

        return rules;
    }

    /// <summary>
    /// Minimises the log's run; returns the smallest spec that fails the same way and its run. With
    /// <paramref name="decisions"/>, the run's choices and guest-step perturbations are first forced
    /// one by one (as recorded), then shrunk like the faults: a perturbation left out runs the step as
    /// written, a forced choice left out goes back to the seed's draw.
    /// </summary>
    public MinimizeResult Minimize(RunLog log, ISpecReducer? reducer = null, IDecisionReader? decisions = null)
    {
        var original = log.Manifest.Spec;
        var signature = log.End.OutcomeKind;
        var baseline = Run(original);
        var target = FailureSignature.Of(baseline.Report)
            ?? throw new InputException($"the recorded run did not fail (outcome {signature}): nothing to minimise");
        bool Fails(ModelSpec candidate) => FailureSignature.Of(Run(candidate).Report) == target;

        var start = original;
        if (decisions is not null && decisions.ExplicitSpec(log) is var forced && Fails(forced))
        {
            start = forced;
        }

        var faults = InjectedFaults(log);
        var spec = WithFaults(start, faults);
        var keptRandomPlan = false;
        if (faults.Count > 0 && !Fails(spec))
        {
            // The recorded faults, replayed one message at a time, do not fail the same way (a log
            // whose faults do not match its plan): shrink nothing there and keep the plan as it is.
            spec = start;
            keptRandomPlan = true;
        }
        else if (faults.Count > 0)
        {
            faults = DeltaDebug(faults, subset => Fails(WithFaults(start, subset)));
            spec = WithFaults(start, faults);
        }

        var stepsBefore = spec.GuestJitter is { ExplicitOnly: true } ? spec.GuestJitter.Steps.Count : 0;
        var forcedBefore = spec.Schedule?.Forced.Count ?? 0;
        spec = ShrinkDecisions(spec, Fails);
        if (reducer is not null)
        {
            spec = ReduceScenario(spec, reducer, target);
        }

        var counter = new FaultCounter();
        Trials++;
        var final = InProcessRunner.Run(spec, resolve(spec), partitions, counter);
        return new MinimizeResult(target, InjectedFaults(log).Count, counter.Injected, spec, final, Trials)
        {
            KeptRandomPlan = keptRandomPlan,
            StepsBefore = stepsBefore,
            StepsAfter = spec.GuestJitter is { ExplicitOnly: true } ? spec.GuestJitter.Steps.Count : 0,
            ForcedBefore = forcedBefore,
            ForcedAfter = spec.Schedule?.Forced.Count ?? 0,
            CostJitterPercent = spec.Faults?.CostJitterPercent ?? 0,
        };
    }

    /// <summary>ddmin over the explicit guest-step perturbations, then over the forced choices; then cost jitter off if it is not needed.</summary>
    private ModelSpec ShrinkDecisions(ModelSpec spec, Func<ModelSpec, bool> fails)
    {
        if (spec.GuestJitter is { ExplicitOnly: true, Steps.Count: > 0 } jitter)
        {
            var steps = DeltaDebug(jitter.Steps.ToList(), subset => fails(WithSteps(spec, subset)));
            spec = WithSteps(spec, steps);
        }

        if (spec.Schedule is { Forced.Count: > 0 } schedule)
        {
            var forced = DeltaDebug(schedule.Forced.ToList(), subset => fails(WithForced(spec, subset)));
            spec = WithForced(spec, forced);
        }

        if (spec.Faults is { CostJitterPercent: > 0 })
        {
            var steady = spec.Clone();
            steady.Faults.CostJitterPercent = 0;
            if (fails(steady))
            {
                spec = steady;
            }
        }

        return spec;
    }

    private static ModelSpec WithSteps(ModelSpec spec, IEnumerable<StepPerturbation> steps)
    {
        var copy = spec.Clone();
        copy.GuestJitter.Steps.Clear();
        copy.GuestJitter.Steps.AddRange(steps.Select(s => s.Clone()));
        return copy;
    }

    private static ModelSpec WithForced(ModelSpec spec, IEnumerable<ForcedChoice> forced)
    {
        var copy = spec.Clone();
        copy.Schedule.Forced.Clear();
        copy.Schedule.Forced.AddRange(forced.Select(f => f.Clone()));
        return copy;
    }

    /// <summary>Counts the faults a run really injected (the sizes a minimisation reports are measured, not assumed).</summary>
    private sealed class FaultCounter : Partitioning.IDeliveryObserver
    {
        public int Injected { get; private set; }

        public void OnDelivered(int partition, in Events.SimEvent ev)
        {
            if (ev.Kind == EngineEventKinds.FaultInjected)
            {
                Injected++;
            }
        }
    }

    private ModelSpec ReduceScenario(ModelSpec spec, ISpecReducer reducer, string target)
    {
        var progress = true;
        while (progress && Trials < maxTrials)
        {
            progress = false;
            foreach (var candidate in reducer.Reductions(spec))
            {
                if (Trials >= maxTrials)
                {
                    break;
                }

                if (FailureSignature.Of(Run(candidate).Report) == target)
                {
                    spec = candidate;
                    progress = true;
                    break;
                }
            }
        }

        return spec;
    }

    /// <summary>ddmin (Zeller): the smallest subset (1-minimal) for which <paramref name="fails"/> holds.</summary>
    public List<T> DeltaDebug<T>(List<T> items, Func<List<T>, bool> fails)
    {
        var current = items;
        var granularity = 2;
        while (current.Count >= 2 && Trials < maxTrials)
        {
            var chunks = Split(current, granularity);
            var reduced = false;
            foreach (var chunk in chunks)
            {
                if (fails(chunk))
                {
                    current = chunk;
                    granularity = 2;
                    reduced = true;
                    break;
                }
            }

            if (!reduced)
            {
                foreach (var chunk in chunks)
                {
                    var complement = current.Except(chunk).ToList();
                    if (granularity > 2 && fails(complement))
                    {
                        current = complement;
                        granularity = Math.Max(granularity - 1, 2);
                        reduced = true;
                        break;
                    }
                }
            }

            if (!reduced)
            {
                if (granularity >= current.Count)
                {
                    break;
                }

                granularity = Math.Min(granularity * 2, current.Count);
            }
        }

        if (current.Count == 1 && fails([]))
        {
            return [];
        }

        return current;
    }

    private static List<List<T>> Split<T>(List<T> items, int parts)
    {
        var result = new List<List<T>>();
        var size = (int)Math.Ceiling(items.Count / (double)parts);
        for (var i = 0; i < items.Count; i += size)
        {
            result.Add(items.Skip(i).Take(size).ToList());
        }

        return result;
    }

    private static ModelSpec WithFaults(ModelSpec spec, IEnumerable<FaultRule> rules)
    {
        var copy = spec.Clone();
        var plan = new FaultPlan
        {
            CostJitterPercent = spec.Faults?.CostJitterPercent ?? 0,
            BklSeed = spec.Faults?.BklSeed ?? 0,
        };
        plan.Raises.AddRange(spec.Faults?.Raises.Select(r => r.Clone()) ?? []);
        plan.Rules.AddRange(rules.Select(r => r.Clone()));
        copy.Faults = plan;
        return copy;
    }

    private RunResult Run(ModelSpec spec)
    {
        Trials++;
        return InProcessRunner.Run(spec, resolve(spec), partitions);
    }
}

/// <summary>Proposes smaller versions of a scenario (fewer threads, VMs, optional operations, hthreads).</summary>
public interface ISpecReducer
{
    IEnumerable<ModelSpec> Reductions(ModelSpec spec);
}

/// <summary>
/// What a minimisation did: the signature kept, the faults the recorded run injected and the faults
/// the minimised run injects (both counted from runs), and whether the recorded faults could not be
/// replayed as explicit per-message faults, so the minimised run keeps the original random plan.
/// </summary>
public sealed record MinimizeResult(string Signature, int FaultsBefore, int FaultsAfter, ModelSpec Spec, RunResult Run, int Trials)
{
    public bool KeptRandomPlan { get; init; }

    /// <summary>Explicit guest-step perturbations before and after shrinking (0 when the run drew none).</summary>
    public int StepsBefore { get; init; }

    public int StepsAfter { get; init; }

    /// <summary>Forced choices before and after shrinking.</summary>
    public int ForcedBefore { get; init; }

    public int ForcedAfter { get; init; }

    /// <summary>The cost jitter the minimised run still needs (0: none).</summary>
    public double CostJitterPercent { get; init; }
}

/// <summary>
/// Reads the decisions a recorded run made at its choice points (the model knows how its trace
/// records them) and returns the log's spec with each of them forced, so they can be shrunk.
/// </summary>
public interface IDecisionReader
{
    ModelSpec ExplicitSpec(RunLog log);
}
