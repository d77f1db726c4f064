using System.Diagnostics;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// `h2sim compare`'s measurements, in-process: every scenario on every design gets (1) the suite's
/// run (seed, no perturbation) and its verdict, (2) a schedule sample of RunsPerCell runs (seeds
/// seed, seed+1, …; every run after the first with ±5 % cost jitter; no message faults) whose
/// teardown latency and longest BKL hold are the cell's figures, and (3) exploration with the same
/// budget through <see cref="IScenarioExplorer"/>, each failure saved minimised under
/// OUT/logs/DESIGN/SCENARIO/. Then the scaling scenario at each VM size on every design. Cells
/// run in parallel on the machine's cores; each is deterministic, so the result does not depend
/// on the order they finish in.
/// </summary>
public sealed class CompareRunner(IScenarioExplorer explorer)
{
    public CompareResult Run(CompareSetup options, Action<string>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var work = options.Scenarios.SelectMany(s => options.Designs.Select(d => (Scenario: s, Design: d))).ToList();
        var cells = new CompareCell[work.Count];
        var gate = new Lock();
        var done = 0;
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            cells[i] = RunCell(work[i].Scenario, work[i].Design, options);
            lock (gate)
            {
                done++;
                progress?.Invoke($"[{done}/{work.Count}] {cells[i].Scenario} on {cells[i].Design.Label}: {cells[i].Verdict.Kind}, {cells[i].Findings.Count} failure signature(s) explored");
            }
        });

        var scaling = RunScaling(options, progress);
        stopwatch.Stop();
        return new CompareResult(options, cells, scaling, stopwatch.Elapsed.TotalSeconds);
    }

    private CompareCell RunCell(Scenario scenario, CompareDesign design, CompareSetup options)
    {
        var sample = Sample(scenario, design, options.Seed, options.RunsPerCell);
        var folder = Path.Combine(options.OutputDirectory, "logs", design.Slug, scenario.Name);
        var findings = explorer.Explore(scenario, Options(design, options.Seed, null), options.Seed, options.RunsPerCell, folder);
        if (findings.Count == 0 && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return new CompareCell(
            scenario.Name, options.PathOf(scenario), design, sample.First, sample.Runs, sample.Failures,
            sample.Latencies, sample.BklHolds, options.RunsPerCell, findings);
    }

    private sealed record SampleResult(Verdict First, int Runs, int Failures, List<long> Latencies, List<long> BklHolds);

    /// <summary>The schedule sample: run 0 is the suite's run; the others vary the seed and jitter the costs.</summary>
    private static SampleResult Sample(Scenario scenario, CompareDesign design, ulong seed, int runs)
    {
        Verdict? first = null;
        var failures = 0;
        var latencies = new List<long>();
        var holds = new List<long>();
        for (var i = 0; i < runs; i++)
        {
            var plan = i == 0 ? null : new FaultPlan { CostJitterPercent = CompareSetup.SampleJitterPercent };
            var run = ScenarioRunner.Run(scenario, Options(design, seed + (ulong)i, plan));
            first ??= run.Verdict;
            failures += run.Verdict.Passed ? 0 : 1;
            foreach (var vm in TeardownSample.Of(run.Report))
            {
                if (vm.LatencyCycles is { } latency)
                {
                    latencies.Add(latency);
                }

                if (vm.BklHoldMaxCycles is { } hold)
                {
                    holds.Add(hold);
                }
            }
        }

        return new SampleResult(first!, runs, failures, latencies, holds);
    }

    private List<ScalingPoint> RunScaling(CompareSetup options, Action<string>? progress)
    {
        var work = options.ScalingVcpus.SelectMany(n => options.Designs.Select(d => (Vcpus: n, Design: d))).ToList();
        var points = new ScalingPoint[work.Count];
        var scenarios = options.ScalingVcpus.ToDictionary(n => n, n => ScenarioLoader.Load(ScalingScenario.Yaml(n), ScalingScenario.Name(n) + ".yaml"));
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (vcpus, design) = work[i];
            var sample = Sample(scenarios[vcpus], design, options.Seed, options.ScalingRuns);
            points[i] = new ScalingPoint(design, vcpus, options.PathOf(scenarios[vcpus]), sample.First, sample.Runs, CycleStats.Of(sample.Latencies), CycleStats.Of(sample.BklHolds));
        });
        progress?.Invoke($"scaling: {work.Count} points ({string.Join(", ", options.ScalingVcpus)} vCPUs × {options.Designs.Count} designs)");
        return points.ToList();
    }

    /// <summary>A run of the design: its kernel, its policies, the seed, and (for the sample) the jitter plan.</summary>
    public static ScenarioRunOptions Options(CompareDesign design, ulong seed, FaultPlan? plan) =>
        new(design.Kernel, Seed: seed, Faults: plan) { Policies = design.Policies };
}
