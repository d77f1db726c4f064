using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;
using H2Sim.Tests.Faults;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Explore;

/// <summary>
/// Guest timing as a choice point: perturbations stay within the bound and are messages in the
/// trace; a run's decisions, forced, replay it exactly; an explicit list perturbs exactly its steps;
/// minimisation shrinks perturbations a failure does not need.
/// </summary>
public sealed class GuestTimingTests
{
    private static readonly Scenario R2 = ExploreTests.Race("r2_killed_blocker_escapes_gate");

    private static (global::H2Sim.Core.Run.RunResult Result, RunRecorder Log) Run(Scenario scenario, GuestJitter? jitter, KernelBug bugs = KernelBug.None)
    {
        var recorder = new RunRecorder();
        var options = new ScenarioRunOptions(KernelVariant.Master, bugs) { GuestJitter = jitter };
        var run = ScenarioRunner.Run(scenario, options, observer: recorder);
        return (run.Result, recorder);
    }

    [Fact]
    public void A_zero_percent_jitter_is_the_run_as_written_and_a_positive_one_changes_it()
    {
        var plain = Run(R2, null).Result;
        var zero = Run(R2, new GuestJitter { Percent = 0 }).Result;
        var jittered = Run(R2, new GuestJitter { Percent = 25 });

        Assert.Equal(plain.TraceHash, zero.TraceHash);
        Assert.NotEqual(plain.TraceHash, jittered.Result.TraceHash);
        Assert.Contains(jittered.Log.Merged(), e => e.Kind == EventKinds.GuestJitter);
    }

    [Fact]
    public void Every_perturbation_stays_within_the_bound_of_its_step()
    {
        // blocker_spins and exiter_spins are the long steps; no step of this scenario is longer than 2,000 cycles.
        var jittered = Run(R2, new GuestJitter { Percent = 10 });
        var deltas = jittered.Log.Merged().Where(e => e.Kind == EventKinds.GuestJitter).Select(e => e.C).ToList();

        Assert.NotEmpty(deltas);
        Assert.All(deltas, d => Assert.InRange(d, -200, 200));
        Assert.Contains(deltas, d => Math.Abs(d) > 50);
    }

    [Fact]
    public void A_runs_decisions_forced_replay_it_to_the_same_trace_hash()
    {
        var jittered = Run(R2, new GuestJitter { Percent = 25 }, KernelBug.VmworkGateNeedsIe);
        var spec = ScenarioRunner.Spec(R2, new ScenarioRunOptions(KernelVariant.Master, KernelBug.VmworkGateNeedsIe) { GuestJitter = new GuestJitter { Percent = 25 } });
        var log = new RunLog(new RunManifest { Spec = spec }, jittered.Log.Merged(), new TraceEnd());

        var forced = new RunDecisions().ExplicitSpec(log);
        var rerun = global::H2Sim.Core.Run.InProcessRunner.Run(forced, new ScenarioModelFactory(R2.Build(null, null)));

        Assert.True(forced.GuestJitter.ExplicitOnly);
        Assert.NotEmpty(forced.GuestJitter.Steps);
        Assert.Equal(jittered.Result.TraceHash, rerun.TraceHash);
    }

    [Fact]
    public void An_explicit_list_perturbs_exactly_the_listed_step()
    {
        var jitter = new GuestJitter { ExplicitOnly = true, Percent = 25 };
        jitter.Steps.Add(new StepPerturbation { Cluster = 0, Vmidx = 2, Cpuidx = 30, Step = 1, DeltaCycles = 321 });
        var run = Run(R2, jitter);

        var perturbed = Assert.Single(run.Log.Merged(), e => e.Kind == EventKinds.GuestJitter);
        Assert.Equal(321, perturbed.C);
        Assert.Equal(1, perturbed.B);
    }

    [Fact]
    public void Minimize_shrinks_the_guest_timing_perturbations_a_failure_does_not_need()
    {
        // Inside the race window (docs/exploration.md): the run hangs with or without its perturbations.
        var parameters = new Dictionary<string, long> { ["blocker_spins"] = 2_725 };
        var options = new ScenarioRunOptions(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, Params: parameters) { GuestJitter = new GuestJitter { Percent = 3 } };
        var recorder = new RunRecorder();
        var run = ScenarioRunner.Run(R2, options, observer: recorder);
        Assert.Equal("hang", run.Report.OutcomeKind);
        var log = new RunLog(new RunManifest { Spec = ScenarioRunner.Spec(R2, options) }, recorder.Merged(), new TraceEnd { OutcomeKind = "hang" });

        var result = new Minimizer(spec => new ScenarioModelFactory(new ScenarioModelFactory().Definition(spec))).Minimize(log, null, new RunDecisions());

        Assert.True(result.StepsBefore >= 2, $"{result.StepsBefore} perturbations recorded");
        Assert.True(result.StepsAfter < result.StepsBefore);
        Assert.Equal("hang", result.Run.Report.OutcomeKind);
    }
}
