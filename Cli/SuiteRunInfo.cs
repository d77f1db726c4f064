using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// What a suite ran with, for its reports: the suite's name and directory (as the user gave it, so
/// a reproduce command pastes from the same place), seed, bugs, horizon and h2sim's version.
/// </summary>
public sealed record SuiteRunInfo(string Suite, string Directory, ulong Seed, KernelBug Bugs, ulong HorizonCycles)
{
    /// <summary>How a verdict is judged, said in every report (the same rule as the upstream harness's grep of test.log).</summary>
    public const string JudgedBy = HwThreadActors.Scenarios.Verdict.Rule;

    public string Version => VersionInfo.Text;

    /// <summary>The review kernel's --policy pairs (empty: its defaults).</summary>
    public KernelPolicies Policies { get; init; } = KernelPolicies.Default;

    /// <summary>The `run` that reproduces one cell, bit for bit.</summary>
    public string Command(SuiteEntry entry) =>
        ReproduceCommand.Run(Path.Combine(Directory, Path.GetFileName(entry.Run.Scenario.File)), entry.Kernel, Seed, Bugs, horizonCycles: HorizonCycles, policies: PolicyOptions.For(entry.Kernel, Policies)?.Pairs());
}
