using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace H2Sim.Tests.Faults;

/// <summary>
/// Exploration without faults: R2 (scenarios/races/r2_killed_blocker_escapes_gate.yaml, the shape of
/// the kernel-model race test, at delays where the unperturbed run passes) is found by PCT and by
/// the coverage-guided strategy on correct hardware, every saved failure replays to the same hang,
/// and its minimised form says it needed guest timing and no message fault.
/// </summary>
public sealed class ExploreTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-explore-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static Scenario Race(string name) => ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "races", name + ".yaml"));

    public static ExploreResult Explore(Scenario scenario, ExploreStrategy strategy, KernelBug bug, int runs, string? outDir, ulong seed = 1)
    {
        var options = new ScenarioRunOptions(KernelVariant.Master, bug);
        var definition = scenario.Build(options.Params, options.Costs);
        var session = new ExploreSession(definition, ScenarioRunner.Spec(scenario, options), new ExploreSettings(strategy, seed), spec => new ScenarioModelFactory(new ScenarioModelFactory().Definition(spec)), new ScenarioReducer());
        return session.Run(runs, null, outDir);
    }

    [Theory]
    [InlineData(ExploreStrategy.Pct)]
    [InlineData(ExploreStrategy.Coverage)]
    public void Finds_the_r2_hang_without_faults_and_saves_a_minimised_log_that_replays_to_it(ExploreStrategy strategy)
    {
        var scenario = Race("r2_killed_blocker_escapes_gate");
        Assert.Equal("exit", ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master, KernelBug.VmworkGateNeedsIe)).Report.OutcomeKind);

        var result = Explore(scenario, strategy, KernelBug.VmworkGateNeedsIe, 200, directory);
        output.WriteLine($"{strategy}: first failure at run {result.RunsToFirstFailure}");

        var hang = Assert.Single(result.Failures, f => f.Signature == "hang:BLOCKED/futex");
        Assert.True(hang.ReplayVerified);
        Assert.Contains("guest timing", hang.Needs, StringComparison.Ordinal);
        Assert.DoesNotContain("message faults", hang.Needs, StringComparison.Ordinal);
        var log = RunLog.Read(hang.Log!);
        Assert.Empty(log.Manifest.Spec.Faults?.Rules ?? []);
        // The saved log says what wrote it, as a recorded run's does.
        Assert.Equal((RunLog.ProtocolVersion, 1u), (log.Manifest.ProtocolVersion, log.Manifest.Partitions));
        var replay = Replayer.Replay(log, spec => new ScenarioModelFactory(new ScenarioModelFactory().Definition(spec)), partitions: 2);
        Assert.True(replay.Verified, replay.Divergence?.Message);
        Assert.Equal("hang", replay.Run!.Report.OutcomeKind);
    }

    [Fact]
    public void Without_the_bug_no_strategy_finds_a_failure_in_the_same_runs()
    {
        var scenario = Race("r2_killed_blocker_escapes_gate");
        var options = new ScenarioRunOptions(KernelVariant.Master);
        var definition = scenario.Build(options.Params, options.Costs);
        foreach (var strategy in new[] { ExploreStrategy.Random, ExploreStrategy.Pct, ExploreStrategy.Coverage })
        {
            var session = new ExploreSession(definition, ScenarioRunner.Spec(scenario, options), new ExploreSettings(strategy, 1), _ => new H2SystemFactory(definition));
            Assert.Empty(session.Run(100, null, null).Failures);
        }
    }

    [Fact]
    public void The_same_seed_explores_the_same_runs()
    {
        var scenario = Race("r2_killed_blocker_escapes_gate");
        var first = Explore(scenario, ExploreStrategy.Coverage, KernelBug.VmworkGateNeedsIe, 40, null);
        var second = Explore(scenario, ExploreStrategy.Coverage, KernelBug.VmworkGateNeedsIe, 40, null);

        Assert.Equal(first.Coverage.Curve, second.Coverage.Curve);
        Assert.Equal(first.RunsToFirstFailure, second.RunsToFirstFailure);
        Assert.Equal(first.Coverage.Items.Select(i => i.Item), second.Coverage.Items.Select(i => i.Item));
    }
}
