using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.System;
using H2Sim.Tests.Kernel.Races;
using Xunit;
using Xunit.Abstractions;

namespace H2Sim.Tests.Faults;

/// <summary>
/// Swarm exploration: exit_vs_futex_block on master with the R2 gate bug, at a blocker delay that
/// does not hit the race unperturbed, is found to hang by drawing seeds, faults, BKL orders and
/// cost jitter; the saved, minimised log replays to the same hang.
/// </summary>
public sealed class ExploreTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-explore-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Explore_finds_the_r2_hang_and_saves_a_minimised_log_that_replays_to_it()
    {
        static SystemDefinition System() => ExitVsFutexBlock.System(blockerSpins: 1_900);
        Assert.Equal("exit", H2Run.Run(System(), "master", ["vmwork-gate-needs-ie"]).Result.Report.OutcomeKind);

        var explorer = new Explorer(_ => new H2SystemFactory(System()));
        var result = explorer.Explore(H2Run.Spec("master", ["vmwork-gate-needs-ie"]), seed: 1, maxRuns: 300, timeBudget: null, directory);
        foreach (var failure in result.Failures)
        {
            output.WriteLine(failure.Summary);
        }

        var hang = result.Failures.FirstOrDefault(f => f.Signature == "hang:BLOCKED/futex");
        Assert.NotNull(hang);
        var log = RunLog.Read(hang.Log);
        var replay = Replayer.Replay(log, _ => new H2SystemFactory(System()), partitions: 2);
        Assert.True(replay.Verified, replay.Divergence?.Message);
        Assert.Equal("hang", replay.Run!.Report.OutcomeKind);
        Assert.True(hang.FaultsAfter <= hang.FaultsBefore);
    }
}
