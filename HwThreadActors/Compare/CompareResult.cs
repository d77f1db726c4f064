using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>What `h2sim compare` ran: scenarios (with the file each lives in), designs, budget, seed.</summary>
public sealed record CompareSetup(
    IReadOnlyList<Scenario> Scenarios,
    IReadOnlyList<CompareDesign> Designs,
    int RunsPerCell,
    ulong Seed,
    IReadOnlyList<int> ScalingVcpus,
    int ScalingRuns,
    string OutputDirectory)
{
    /// <summary>Where each scenario's file is, by scenario name, as the user named it (for reproduce commands); the file name when absent.</summary>
    public IReadOnlyDictionary<string, string> Paths { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The exploration library's strategy every cell explores with (message faults off).</summary>
    public ExploreStrategy Strategy { get; init; } = ExploreStrategies.Default;

    public string PathOf(Scenario scenario) => Paths.GetValueOrDefault(scenario.Name, scenario.File);

    /// <summary>Cost jitter (±%) of every schedule-sample run after the first (run 0 is the suite's run).</summary>
    public const double SampleJitterPercent = 5;
}

/// <summary>One scenario on one design: the suite verdict, the schedule sample's figures, exploration's findings.</summary>
public sealed record CompareCell(
    string Scenario,
    string ScenarioFile,
    CompareDesign Design,
    Verdict Verdict,
    int SampleRuns,
    int SampleFailures,
    IReadOnlyList<long> LatencySamples,
    IReadOnlyList<long> BklHoldSamples,
    int ExploredRuns,
    IReadOnlyList<ExplorationFinding> Findings)
{
    public CycleStats Latency => CycleStats.Of(LatencySamples);

    public CycleStats BklHold => CycleStats.Of(BklHoldSamples);
}

/// <summary>One design at one VM size of the scaling scenario.</summary>
public sealed record ScalingPoint(CompareDesign Design, int Vcpus, string ScenarioFile, Verdict Verdict, int Runs, CycleStats Latency, CycleStats BklHold);

/// <summary>The whole comparison, and the per-design totals the page leads with.</summary>
public sealed record CompareResult(CompareSetup Options, IReadOnlyList<CompareCell> Cells, IReadOnlyList<ScalingPoint> Scaling, double WallSeconds)
{
    public IEnumerable<CompareCell> Of(CompareDesign design) => Cells.Where(c => c.Design == design);

    /// <summary>Every teardown latency of a design's schedule samples, over all its scenarios.</summary>
    public CycleStats PooledLatency(CompareDesign design) => CycleStats.Of(Of(design).SelectMany(c => c.LatencySamples));

    /// <summary>Every longest-BKL-hold of a design's schedule samples, over all its scenarios.</summary>
    public CycleStats PooledBklHold(CompareDesign design) => CycleStats.Of(Of(design).SelectMany(c => c.BklHoldSamples));
}
