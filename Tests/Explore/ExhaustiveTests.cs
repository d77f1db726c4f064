using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Faults;
using Xunit;

namespace H2Sim.Tests.Explore;

/// <summary>
/// Bounded exhaustive search on a two-thread scenario: with bound 1 it runs each candidate of the
/// first contested choice once; with a larger bound it covers the bounded space and says so, state
/// hashing never runs more assignments than the plain enumeration, and the fingerprint of a state
/// is the same on two identical runs and changes when a choice goes the other way.
/// </summary>
public sealed class ExhaustiveTests
{
    private static readonly Scenario TwoThreads = ExploreTests.Race("two_threads_contend");

    private static ExploreResult Explore(int bound, bool hashing, int maxRuns = 5_000)
    {
        var options = new ScenarioRunOptions(KernelVariant.Master);
        var definition = TwoThreads.Build(null, null);
        var settings = new ExploreSettings(ExploreStrategy.Exhaustive, 1) { ExhaustiveBound = bound, StateHashing = hashing };
        return new ExploreSession(definition, ScenarioRunner.Spec(TwoThreads, options), settings, _ => new H2SystemFactory(definition)).Run(maxRuns, null, null);
    }

    // One definition for every run compared: a fingerprint is compared within one exploration.
    private static readonly SystemDefinition Definition = TwoThreads.Build(null, null);

    private static List<ChoiceSite> Sites(Schedule? schedule)
    {
        var definition = Definition;
        var spec = ScenarioRunner.Spec(TwoThreads, new ScenarioRunOptions(KernelVariant.Master) { Schedule = schedule });
        var probe = new RunProbe(definition, fingerprints: true);
        global::H2Sim.Core.Run.InProcessRunner.Run(spec, new ExploreModelFactory(definition, probe, new RunPlan(spec)), 1, probe);
        return probe.Sites;
    }

    [Fact]
    public void Bound_one_runs_each_candidate_of_the_first_contested_choice_once()
    {
        var first = Sites(null)[0];
        var result = Explore(bound: 1, hashing: false);

        Assert.Equal(first.Count, result.Runs);
        Assert.True(result.Exhaustive!.Covered);
    }

    [Fact]
    public void A_larger_bound_covers_its_space_and_state_hashing_runs_no_more_of_it()
    {
        var plain = Explore(bound: 6, hashing: false);
        var hashed = Explore(bound: 6, hashing: true);

        Assert.True(plain.Exhaustive!.Covered);
        Assert.True(hashed.Exhaustive!.Covered);
        Assert.True(plain.Runs > Explore(bound: 3, hashing: false).Runs);
        Assert.True(hashed.Runs <= plain.Runs);
        Assert.Empty(plain.Failures);
    }

    [Fact]
    public void A_run_limit_below_the_space_says_it_is_not_covered()
    {
        var cut = Explore(bound: 6, hashing: false, maxRuns: 3);

        Assert.Equal(3, cut.Runs);
        Assert.False(cut.Exhaustive!.Covered);
    }

    [Fact]
    public void The_same_run_has_the_same_fingerprints_and_another_choice_changes_the_next_state()
    {
        var once = Sites(null);
        var again = Sites(null);
        var flipped = new Schedule();
        flipped.Forced.Add(new ForcedChoice { Cluster = (uint)once[0].Cluster, Ordinal = once[0].Ordinal, Index = (uint)((once[0].Index + 1) % once[0].Count) });
        var other = Sites(flipped);

        Assert.Equal(once.Select(s => s.Fingerprint), again.Select(s => s.Fingerprint));
        Assert.Equal(once[0].Fingerprint, other[0].Fingerprint);
        Assert.NotEqual(once[1].Fingerprint, other[1].Fingerprint);
    }
}
