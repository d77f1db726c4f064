using System.Diagnostics;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>One cell of the suite matrix.</summary>
public sealed record SuiteEntry(string Test, KernelVariant Kernel, ScenarioRunResult Run)
{
    public Verdict Verdict => Run.Verdict;
}

/// <summary>The whole suite: every scenario on every kernel, and how long it took.</summary>
public sealed record SuiteResult(IReadOnlyList<string> Tests, IReadOnlyList<KernelVariant> Kernels, IReadOnlyList<SuiteEntry> Entries, double WallSeconds)
{
    public SuiteEntry At(string test, KernelVariant kernel) => Entries.First(e => e.Test == test && e.Kernel == kernel);

    public (int Passed, int Failed) Count(KernelVariant kernel) =>
        (Entries.Count(e => e.Kernel == kernel && e.Verdict.Passed), Entries.Count(e => e.Kernel == kernel && !e.Verdict.Passed));
}

/// <summary>
/// Runs every scenario of a directory on each kernel, in-process (no actor system to start),
/// on as many cores as the machine has. Runs are independent and each is deterministic, so the
/// order they finish in changes nothing but the progress display.
/// </summary>
public static class SuiteRunner
{
    public static IReadOnlyList<Scenario> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"scenario directory not found: {directory}");
        }

        var files = Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml")).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"no scenario files (*.yaml) in {directory}");
        }

        return files.Select(ScenarioLoader.LoadFile).ToList();
    }

    public static SuiteResult Run(IReadOnlyList<Scenario> scenarios, IReadOnlyList<KernelVariant> kernels, Func<KernelVariant, ScenarioRunOptions> options, Action<SuiteEntry>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var work = scenarios.SelectMany(s => kernels.Select(k => (Scenario: s, Kernel: k))).ToList();
        var entries = new SuiteEntry[work.Count];
        var gate = new Lock();
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (scenario, kernel) = work[i];
            var run = ScenarioRunner.Run(scenario, options(kernel));
            entries[i] = new SuiteEntry(Path.GetFileNameWithoutExtension(scenario.File), kernel, run);
            lock (gate)
            {
                progress?.Invoke(entries[i]);
            }
        });
        stopwatch.Stop();
        return new SuiteResult(scenarios.Select(s => Path.GetFileNameWithoutExtension(s.File)).ToList(), kernels, entries, stopwatch.Elapsed.TotalSeconds);
    }
}
