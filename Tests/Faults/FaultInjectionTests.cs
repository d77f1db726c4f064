using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Kernel;
using H2Sim.Tests.Kernel.Vm;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Faults;

/// <summary>
/// Fault plans (architecture.md §7): seeded decisions on classified messages, each injected fault
/// a trace event. A dropped CHILDINT leaves the booter asleep: a clean exit becomes a hang.
/// </summary>
public sealed class FaultInjectionTests
{
    private sealed class FaultEvents : IDeliveryObserver
    {
        public List<SimEvent> Injected { get; } = new();

        public void OnDelivered(int partition, in SimEvent ev)
        {
            if (ev.Kind == EngineEventKinds.FaultInjected)
            {
                Injected.Add(ev);
            }
        }
    }

    private static SystemDefinition CleanExit() => KernelTestSystems.OneVm(t => [Spin(1_000), Print("TEST PASSED")]);

    private static FaultPlan Plan(string kind, string action, double probability = 1, ulong delayMin = 0, ulong delayMax = 0)
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = kind, Action = action, Probability = probability, DelayMinCycles = delayMin, DelayMaxCycles = delayMax, Source = -1, Target = -1 });
        return plan;
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Dropping_the_childint_turns_a_clean_exit_into_a_hang(KernelVariant kernel)
    {
        var clean = H2Run.Run(CleanExit(), kernel).Result;
        Assert.Equal("exit", clean.Report.OutcomeKind);

        var observer = new FaultEvents();
        var dropped = H2Run.Run(CleanExit(), kernel, observer: observer, faults: Plan("CHILDINT", "drop")).Result;

        Assert.Equal("hang", dropped.Report.OutcomeKind);
        var fault = Assert.Single(observer.Injected);
        var (action, kind, _) = FaultNote.Decode(fault.A);
        Assert.Equal(FaultAction.Drop, action);
        Assert.Equal(EventKinds.ChildInt, kind);

        // The VM drained (num_cpus 0, never freed); only the booter waits, for the CHILDINT that was lost.
        var booter = Assert.Single(dropped.Report.Stranded);
        Assert.Equal(1u, booter.Vm);
        Assert.Contains("booter.wake_sig", booter.WaitsOn);
        Assert.Contains("CHILDINT", booter.WhoCouldWake);
        var child = Assert.Single(dropped.Report.VmStates, s => s.Vm == 2);
        Assert.Equal(0u, child.NumCpus);
        Assert.False(child.Freed);
        Assert.Equal(dropped.TraceHash, H2Run.Run(CleanExit(), kernel, faults: Plan("CHILDINT", "drop")).Result.TraceHash);
    }

    [Fact]
    public void Delaying_the_childint_only_moves_the_exit_later()
    {
        var clean = H2Run.Run(CleanExit(), KernelVariant.Master).Result;
        var delayed = H2Run.Run(CleanExit(), KernelVariant.Master, faults: Plan("CHILDINT", "delay", delayMin: 100_000, delayMax: 100_000)).Result;

        Assert.Equal("exit", delayed.Report.OutcomeKind);
        Assert.True(delayed.VirtualCycles >= clean.VirtualCycles + 90_000, $"clean ended at {clean.VirtualCycles}, delayed at {delayed.VirtualCycles}");
        Assert.NotEqual(clean.TraceHash, delayed.TraceHash);
    }

    [Fact]
    public void Probabilistic_faults_hit_some_messages_not_all_and_the_same_ones_on_every_partition_count()
    {
        var plan = Plan("*", "delay", probability: 0.3, delayMin: 3_000, delayMax: 9_000);
        plan.Rules.Add(new FaultRule { Kind = "INTERCONNECT", Action = "duplicate", Probability = 0.5, Source = -1, Target = -1 });
        var runs = new[] { 1, 2, 4 }.Select(p =>
        {
            var observer = new FaultEvents();
            var result = H2Run.Run(CrossClusterParentTestsAccess.System(), KernelVariant.Master, seed: 21, partitions: p, observer: observer, faults: plan).Result;
            return (Result: result, Faults: observer.Injected.Select(f => (f.B, f.C, f.A)).Order().ToList());
        }).ToList();

        // Faults were injected: some delays and some duplicates, and not every classified message was hit.
        var faults = runs[0].Faults;
        Assert.Contains(faults, f => FaultNote.Decode(f.A).Action == FaultAction.Delay);
        Assert.Contains(faults, f => FaultNote.Decode(f.A).Action == FaultAction.Duplicate);
        var plain = H2Run.Run(CrossClusterParentTestsAccess.System(), KernelVariant.Master, seed: 21).Result;
        Assert.True((ulong)faults.Count < plain.Events, $"{faults.Count} faults in a run of {plain.Events} messages");

        // The same messages were hit, and the runs agree, on every partition count.
        Assert.All(runs, r => Assert.Equal(faults, r.Faults));
        Assert.Single(runs.Select(r => r.Result.TraceHash).Distinct());
        Assert.Single(runs.Select(r => r.Result.Report.OutcomeKind).Distinct());
    }

    private sealed class Deliveries : IDeliveryObserver
    {
        public List<SimEvent> Events { get; } = new();

        public void OnDelivered(int partition, in SimEvent ev) => Events.Add(ev);
    }

    /// <summary>
    /// exit(1) on master with five threads: every stop has status 1, so each posts CHILDINT on the
    /// same link (child vmblock → booter's vmblock). Half of them reordered: some must be overtaken.
    /// </summary>
    [Fact]
    public void A_reordered_message_is_delivered_after_the_next_one_on_its_link_and_the_run_stays_deterministic()
    {
        var scenario = HwThreadActors.Scenarios.ScenarioLoader.LoadFile(Path.Combine(Scenarios.ScenarioTestSupport.SuiteDirectory, "exit1_main_cond_wait.yaml"));
        var plan = Plan("CHILDINT", "reorder", probability: 0.5, delayMax: 50_000);
        var deliveries = new Deliveries();
        var options = new HwThreadActors.Scenarios.ScenarioRunOptions(KernelVariant.Master, Seed: 4, Faults: plan);
        var first = HwThreadActors.Scenarios.ScenarioRunner.Run(scenario, options, observer: deliveries).Result;
        var second = HwThreadActors.Scenarios.ScenarioRunner.Run(scenario, options with { Partitions = 2 }).Result;

        // The order changed: some reordered message was delivered after a later message of its link.
        var reordered = deliveries.Events.Where(e => e.Kind == EngineEventKinds.FaultInjected && FaultNote.Decode(e.A).Action == FaultAction.Reorder).ToList();
        Assert.NotEmpty(reordered);
        var overtaken = reordered.Count(note =>
        {
            var index = deliveries.Events.FindIndex(e => e.Kind >= 0 && e.Source == (uint)note.B && e.Sequence == (ulong)note.C);
            return index > 0 && deliveries.Events.Take(index).Any(e => e.Kind >= 0 && e.Source == (uint)note.B && e.Target == note.Target && e.Sequence > (ulong)note.C);
        });
        Assert.True(overtaken > 0, $"none of {reordered.Count} reordered messages was overtaken on its link");

        Assert.Equal(first.TraceHash, second.TraceHash);
        Assert.Equal(first.Report.OutcomeKind, second.Report.OutcomeKind);
    }

    [Fact]
    public void Unknown_kinds_actions_and_bad_probabilities_are_input_errors()
    {
        Assert.Contains("unknown fault kind 'IPI'", Assert.Throws<InputException>(() => FaultInjector.Validate(new FaultRule { Kind = "IPI", Action = "drop" })).Message);
        Assert.Contains("unknown fault action 'lose'", Assert.Throws<InputException>(() => FaultInjector.Validate(new FaultRule { Kind = "KILL", Action = "lose" })).Message);
        Assert.Throws<InputException>(() => FaultInjector.Validate(new FaultRule { Kind = "KILL", Action = "drop", Probability = 1.5 }));
    }
}
