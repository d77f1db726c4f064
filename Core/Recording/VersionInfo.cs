using System.Diagnostics;
using System.Globalization;
using H2Sim.Core.Model;
using H2Sim.Core.Randomness;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;

namespace H2Sim.Core.Recording;

/// <summary>
/// Swarm testing (architecture.md §7–§8): each run draws its own seed, fault plan (a random subset
/// of message kinds, each with a random action and probability), BKL spinner order and cost
/// jitter, all from the exploration seed. The first run of each distinct failure signature is
/// recorded, minimised and saved as a replayable log.
/// </summary>
public sealed class Explorer
{
    private static readonly string[] Kinds = ["RESCHED_INT", "CLUSTER_RESCHED_INT", "VM_IPI", "KILL", "CHILDINT", "TIMER", "INTERCONNECT"];
    private static readonly string[] Actions = ["delay", "delay", "duplicate", "reorder", "drop"];
    private static readonly double[] Probabilities = [0.02, 0.1, 0.3];
    private static readonly double[] Jitters = [0, 2, 5, 15];

    private readonly Func<ModelSpec, IModelFactory> resolve;
    private readonly ISpecReducer? reducer;

    public Explorer(Func<ModelSpec, IModelFactory> resolve, ISpecReducer? reducer = null)
    {
        this.resolve = resolve;
        this.reducer = reducer;
    }

    /// <summary>
    /// Runs until <paramref name="maxRuns"/> runs or <paramref name="timeBudget"/> have passed. A
    /// fixed <paramref name="basePlan"/> (--faults) replaces the drawn message faults; the schedule
    /// perturbations are still drawn.
    /// </summary>
    public ExploreResult Explore(ModelSpec template, ulong seed, int maxRuns, TimeSpan? timeBudget, string outputDirectory, FaultPlan? basePlan = null, Action<int, int>? progress = null)
    {
        Directory.CreateDirectory(outputDirectory);
        var stopwatch = Stopwatch.StartNew();
        var random = new DeterministicRandom(seed, 0, RandomPurpose.Explore);
        var failures = new List<ExploreFailure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var runs = 0;
        while (runs < maxRuns && (timeBudget is null || stopwatch.Elapsed < timeBudget))
        {
            var spec = Draw(template, ref random, basePlan);
            runs++;
            var recorder = new RunRecorder();
            var result = InProcessRunner.Run(spec, resolve(spec), 1, recorder);
            var signature = FailureSignature.Of(result.Report);
            if (signature is not null && seen.Add(signature))
            {
                failures.Add(Save(spec, result, recorder, signature, outputDirectory, failures.Count + 1));
            }

            progress?.Invoke(runs, failures.Count);
        }

        return new ExploreResult(runs, failures, stopwatch.Elapsed.TotalSeconds);
    }

    private static ModelSpec Draw(ModelSpec template, ref DeterministicRandom random, FaultPlan? basePlan)
    {
        var spec = template.Clone();
        spec.Seed = random.NextUInt64();
        var plan = basePlan?.Clone() ?? new FaultPlan();
        plan.BklSeed = random.NextUInt64() | 1;
        plan.CostJitterPercent = Jitters[random.NextBelow((ulong)Jitters.Length)];
        if (basePlan is null)
        {
            foreach (var kind in Kinds)
            {
                if (random.NextDouble() >= 0.5)
                {
                    continue;
                }

                var action = Actions[random.NextBelow((ulong)Actions.Length)];
                var delayMax = action is "delay" or "reorder" ? 200 + random.NextBelow(5_000) : 0;
                plan.Rules.Add(new FaultRule
                {
                    Kind = kind,
                    Action = action,
                    Probability = Probabilities[random.NextBelow((ulong)Probabilities.Length)],
                    DelayMinCycles = action == "delay" ? delayMax / 4 : 0,
                    DelayMaxCycles = delayMax,
                    Source = -1,
                    Target = -1,
                });
            }
        }

        spec.Faults = plan;
        return spec;
    }

    private ExploreFailure Save(ModelSpec spec, RunResult result, RunRecorder recorder, string signature, string outputDirectory, int index)
    {
        var manifest = new RunManifest { Spec = spec, Seed = spec.Seed, ScenarioId = spec.Kernel?.ScenarioName ?? spec.Model, H2SimVersion = VersionInfo.Text };
        var raw = Path.Combine(outputDirectory, $"failure-{index:00}.raw{RunLog.Extension}");
        RunLog.Write(raw, manifest, recorder.Merged(), result.TraceHash, result.Report.OutcomeKind);
        var minimized = new Minimizer(resolve).Minimize(RunLog.Read(raw), reducer);

        // Re-record the minimised run so the saved log replays to the same failure.
        var minimalRecorder = new RunRecorder();
        var minimal = InProcessRunner.Run(minimized.Spec, resolve(minimized.Spec), 1, minimalRecorder);
        var path = Path.Combine(outputDirectory, $"failure-{index:00}{RunLog.Extension}");
        var minimalManifest = manifest.Clone();
        minimalManifest.Spec = minimized.Spec;
        RunLog.Write(path, minimalManifest, minimalRecorder.Merged(), minimal.TraceHash, minimal.Report.OutcomeKind);
        File.Delete(raw);
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{signature}: {minimal.Report.Detail} (seed {spec.Seed}, faults {minimized.FaultsBefore} -> {minimized.FaultsAfter})");
        return new ExploreFailure(signature, minimal.Report.OutcomeKind, path, summary, minimized.FaultsBefore, minimized.FaultsAfter);
    }
}

public sealed record ExploreFailure(string Signature, string Kind, string Log, string Summary, int FaultsBefore, int FaultsAfter);

public sealed record ExploreResult(int Runs, IReadOnlyList<ExploreFailure> Failures, double WallSeconds);

/// <summary>h2sim's version, written into every log header.</summary>
public static class VersionInfo
{
    public static string Text => typeof(VersionInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
