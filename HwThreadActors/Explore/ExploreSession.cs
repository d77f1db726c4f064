using System.Diagnostics;
using System.Globalization;
using H2Sim.Core.Model;
using H2Sim.Core.Recording;
using H2Sim.Core.Run;
using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// One exploration of one scenario on one kernel (docs/exploration.md): runs the strategy's runs
/// in this process, adds what each reached to the coverage, and keeps the first run of each
/// distinct failure signature — saved, when a directory is given, as its forced decisions,
/// minimised (faults, guest-step perturbations, forced choices, the scenario's optional parts),
/// re-recorded and checked by replay.
/// </summary>
public sealed class ExploreSession(SystemDefinition definition, ModelSpec template, ExploreSettings settings, Func<ModelSpec, IModelFactory> resolve, ISpecReducer? reducer = null)
{
    public ExploreResult Run(int maxRuns, TimeSpan? budget, string? outputDirectory, Action<ExploreProgress>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var strategy = ExploreStrategies.Create(settings, template);
        var coverage = new CoverageMap();
        var failures = new List<ExploreFailure>();
        var signatures = new Dictionary<string, ExploreFailure>(StringComparer.Ordinal);
        int? firstFailure = null;
        var failingRuns = 0;
        var runs = 0;
        while (runs < maxRuns && (budget is null || stopwatch.Elapsed < budget) && strategy.Next(runs) is { } plan)
        {
            runs++;
            var probe = new RunProbe(definition, plan.Fingerprints);
            var result = InProcessRunner.Run(plan.Spec, new ExploreModelFactory(definition, probe, plan), 1, probe);
            var fresh = coverage.Add(runs, probe.Items);
            var signature = FailureSignature.Of(result.Report);
            strategy.Learn(plan, probe, fresh, signature is not null);
            if (signature is not null)
            {
                failingRuns++;
                firstFailure ??= runs;
                if (!signatures.ContainsKey(signature))
                {
                    var failure = Record(probe.Decisions.Explicit(plan.Spec), result, signature, runs, outputDirectory, failures.Count + 1);
                    signatures[signature] = failure;
                    failures.Add(failure);
                }
            }

            progress?.Invoke(new ExploreProgress(runs, stopwatch.Elapsed.TotalSeconds, failures.Count, coverage.Count));
        }

        return new ExploreResult(strategy.Name, runs, stopwatch.Elapsed.TotalSeconds, failures, coverage, firstFailure, failingRuns)
        {
            Exhaustive = strategy is ExhaustiveStrategy exhaustive ? new ExhaustiveSummary(exhaustive.Bound, exhaustive.Leaves, exhaustive.SkippedRepeats, exhaustive.DeepestRun, exhaustive.Covered, settings.StateHashing) : null,
        };
    }

    /// <summary>The failure's plain spec (its decisions forced), minimised and saved when there is a directory.</summary>
    private ExploreFailure Record(ModelSpec spec, RunResult result, string signature, int run, string? outputDirectory, int index)
    {
        var dimensions = Dimensions(spec);
        if (outputDirectory is null || !settings.Minimise)
        {
            return new ExploreFailure(signature, result.Report.OutcomeKind, null, $"{signature}: {result.Report.Detail}", run, dimensions, null);
        }

        Directory.CreateDirectory(outputDirectory);
        var manifest = new RunManifest { Spec = spec, Seed = spec.Seed, ScenarioId = spec.Kernel?.ScenarioName ?? spec.Model, H2SimVersion = VersionInfo.Text, ProtocolVersion = RunLog.ProtocolVersion, Partitions = 1 };
        var raw = Path.Combine(outputDirectory, $"failure-{index:00}.raw{RunLog.Extension}");
        var recorder = new RunRecorder();
        var rerun = InProcessRunner.Run(spec, resolve(spec), 1, recorder);
        RunLog.Write(raw, manifest, recorder.Merged(), rerun.TraceHash, rerun.Report.OutcomeKind);
        var minimized = new Minimizer(resolve).Minimize(RunLog.Read(raw), reducer, new RunDecisions());

        // Re-record the minimised run so the saved log replays to the same failure; then replay it.
        var minimalRecorder = new RunRecorder();
        var minimal = InProcessRunner.Run(minimized.Spec, resolve(minimized.Spec), 1, minimalRecorder);
        var path = Path.Combine(outputDirectory, $"failure-{index:00}{RunLog.Extension}");
        var minimalManifest = manifest.Clone();
        minimalManifest.Spec = minimized.Spec;
        RunLog.Write(path, minimalManifest, minimalRecorder.Merged(), minimal.TraceHash, minimal.Report.OutcomeKind);
        File.Delete(raw);
        var replay = Replayer.Replay(RunLog.Read(path), resolve, 1);
        var needed = Dimensions(minimized.Spec);
        var summary = string.Create(CultureInfo.InvariantCulture, $"{signature}: {minimal.Report.Detail} (first at run {run}; needs {needed})");
        return new ExploreFailure(signature, minimal.Report.OutcomeKind, path, summary, run, needed, replay.Verified && FailureSignature.Of(replay.Run!.Report) == signature);
    }

    /// <summary>Which dimensions a failing spec uses: message faults injected, guest steps perturbed, choices forced, cost jitter.</summary>
    private static string Dimensions(ModelSpec spec)
    {
        var parts = new List<string>();
        if (spec.Faults is { Rules.Count: > 0 })
        {
            parts.Add($"message faults ({spec.Faults.Rules.Count} rule(s))");
        }

        if (spec.GuestJitter is { Steps.Count: > 0 } jitter)
        {
            parts.Add($"guest timing ({jitter.Steps.Count} perturbed step(s))");
        }

        if (spec.Schedule is { Forced.Count: > 0 } schedule)
        {
            parts.Add($"schedule ({schedule.Forced.Count} forced choice(s))");
        }

        if (spec.Faults is { CostJitterPercent: > 0 } plan)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"kernel cost jitter ±{plan.CostJitterPercent}%"));
        }

        return parts.Count == 0 ? "nothing but the seed's schedule" : string.Join(", ", parts);
    }
}

public sealed record ExploreProgress(int Runs, double Seconds, int Failures, int Coverage)
{
    public double RunsPerSecond => Seconds > 0 ? Runs / Seconds : 0;
}

/// <summary>A distinct failure: its signature, the run that found it first, what it needed, and its saved log (null when not saved).</summary>
public sealed record ExploreFailure(string Signature, string Kind, string? Log, string Summary, int FirstRun, string Needs, bool? ReplayVerified);

public sealed record ExhaustiveSummary(int Bound, int Runs, int SkippedRepeats, int DeepestRun, bool Covered, bool StateHashing);

public sealed record ExploreResult(string Strategy, int Runs, double WallSeconds, IReadOnlyList<ExploreFailure> Failures, CoverageMap Coverage, int? RunsToFirstFailure, int FailingRuns)
{
    public ExhaustiveSummary? Exhaustive { get; init; }

    public double RunsPerSecond => WallSeconds > 0 ? Runs / WallSeconds : 0;
}
