using H2Sim.Core.Events;
using H2Sim.Core.Faults;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.System;
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
    [InlineData("base")]
    [InlineData("pr39")]
    [InlineData("master")]
    public void Dropping_the_childint_turns_a_clean_exit_into_a_hang(string kernel)
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
        var clean = H2Run.Run(CleanExit(), "master").Result;
        var delayed = H2Run.Run(CleanExit(), "master", faults: Plan("CHILDINT", "delay", delayMin: 100_000, delayMax: 100_000)).Result;

        Assert.Equal("exit", delayed.Report.OutcomeKind);
        Assert.True(delayed.VirtualCycles >= clean.VirtualCycles + 90_000, $"clean ended at {clean.VirtualCycles}, delayed at {delayed.VirtualCycles}");
        Assert.NotEqual(clean.TraceHash, delayed.TraceHash);
    }

    [Fact]
    public void Probabilistic_faults_are_the_same_on_every_partition_count()
    {
        var plan = Plan("*", "delay", probability: 0.3, delayMin: 3_000, delayMax: 9_000);
        plan.Rules.Add(new FaultRule { Kind = "INTERCONNECT", Action = "duplicate", Probability = 0.5, Source = -1, Target = -1 });
        var hashes = new[] { 1, 2, 4 }
            .Select(p => H2Run.Run(CrossClusterParentTestsAccess.System(), "master", seed: 21, partitions: p, faults: plan).Result)
            .ToList();

        Assert.Single(hashes.Select(h => h.TraceHash).Distinct());
        Assert.Single(hashes.Select(h => h.Report.OutcomeKind).Distinct());
    }

    [Fact]
    public void A_reordered_message_is_delivered_after_the_next_one_on_its_link_and_the_run_stays_deterministic()
    {
        var plan = Plan("VM_IPI", "reorder", probability: 1, delayMax: 50_000);
        plan.Rules.Add(new FaultRule { Kind = "RESCHED_INT", Action = "reorder", Probability = 0.5, Source = -1, Target = -1 });
        var first = H2Run.Run(CrossClusterParentTestsAccess.System(), "master", seed: 4, faults: plan).Result;
        var second = H2Run.Run(CrossClusterParentTestsAccess.System(), "master", seed: 4, partitions: 4, faults: plan).Result;

        Assert.Equal(first.TraceHash, second.TraceHash);
        Assert.Equal(first.Report.OutcomeKind, second.Report.OutcomeKind);
    }

    [Fact]
    public void Unknown_kinds_actions_and_bad_probabilities_are_input_errors()
    {
        Assert.Contains("unknown fault kind 'IPI'", Assert.Throws<ArgumentException>(() => FaultInjector.Validate(new FaultRule { Kind = "IPI", Action = "drop" })).Message);
        Assert.Contains("unknown fault action 'lose'", Assert.Throws<ArgumentException>(() => FaultInjector.Validate(new FaultRule { Kind = "KILL", Action = "lose" })).Message);
        Assert.Throws<ArgumentException>(() => FaultInjector.Validate(new FaultRule { Kind = "KILL", Action = "drop", Probability = 1.5 }));
    }
}
