using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Scenarios;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Sched;

/// <summary>
/// The orders the hardware leaves open (architecture.md §3) are named choice points drawn from the
/// seed: which hthread takes a pending interrupt, which same-cycle arrival gets a free BKL, which
/// spinner gets a released one. Each decided choice is a message in the trace, so the same seed
/// repeats it, other seeds reach the other candidates, and a recorded run replays it.
/// </summary>
public sealed class ChoicePointTests
{
    private sealed class Choices : IDeliveryObserver
    {
        public List<(ChoiceKind Kind, int Subject, int Count, uint Chosen)> Decided { get; } = new();

        public void OnDelivered(int partition, in SimEvent ev)
        {
            if (ev.Kind == EventKinds.Choice)
            {
                var (kind, subject, count) = ChoiceRecord.Decode(ev.A);
                Decided.Add((kind, subject, count, (uint)ev.C));
            }
        }
    }

    /// <summary>Two hthreads: main spins in guest mode on one, the other is idle; interrupt 40 is raised for a popup waiter.</summary>
    private const string TwoTakers = """
        topology: {clusters: 1, hthreads: 2}
        vms:
          - name: test
            threads:
              main:
                - thread_create: {thread: waiter}
                - spin: 30000
                - raise_interrupt: {int: 40, after: 500}
                - spin: 30000
                - print: TEST PASSED
              waiter:
                - popup_wait: {int: 40, expect: 40}
        """;

    private static (ScenarioRunResult Run, List<(ChoiceKind Kind, int Subject, int Count, uint Chosen)> Decided) RunTwoTakers(ulong seed, Schedule? schedule = null)
    {
        var observer = new Choices();
        var scenario = ScenarioLoader.Load(TwoTakers, "two_takers.yaml");
        var run = ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master, Seed: seed) { Schedule = schedule }, observer: observer);
        return (run, observer.Decided);
    }

    [Fact]
    public void Seeds_1_to_16_reach_both_hthreads_that_can_take_one_interrupt()
    {
        var takers = new HashSet<uint>();
        for (var seed = 1UL; seed <= 16; seed++)
        {
            var (run, decided) = RunTwoTakers(seed);
            Assert.Equal(Verdict.Pass, run.Verdict.Kind);
            var choice = Assert.Single(decided, d => d.Kind == ChoiceKind.InterruptTaker && d.Subject == 40);
            Assert.Equal(2, choice.Count);
            takers.Add(choice.Chosen);
        }

        Assert.Equal([0u, 1u], takers.Order());
    }

    [Fact]
    public void The_same_seed_makes_the_same_choices_and_trace_hash()
    {
        var first = RunTwoTakers(5);
        var again = RunTwoTakers(5);

        Assert.Equal(first.Decided, again.Decided);
        Assert.Equal(first.Run.Result.TraceHash, again.Run.Result.TraceHash);
    }

    [Fact]
    public void A_forced_choice_overrides_the_seed_and_changes_the_run()
    {
        var (_, decided) = RunTwoTakers(5);
        var taker = decided.Select((d, i) => (d, i)).Single(x => x.d.Kind == ChoiceKind.InterruptTaker && x.d.Subject == 40);
        var schedule = new Schedule();
        schedule.Forced.Add(new ForcedChoice { Cluster = 0, Ordinal = (ulong)taker.i, Index = taker.d.Chosen == 0 ? 1u : 0u });

        var (forcedRun, forced) = RunTwoTakers(5, schedule);

        Assert.NotEqual(taker.d.Chosen, forced[taker.i].Chosen);
        Assert.Equal(Verdict.Pass, forcedRun.Verdict.Kind);
    }

    [Fact]
    public void A_recorded_run_replays_its_choices_message_by_message()
    {
        var scenario = ScenarioLoader.Load(TwoTakers, "two_takers.yaml");
        var options = new ScenarioRunOptions(KernelVariant.Master, Seed: 9);
        var recorder = new RunRecorder();
        var run = ScenarioRunner.Run(scenario, options, observer: recorder);
        var spec = ScenarioRunner.Spec(scenario, options);
        var path = Path.Combine(Path.GetTempPath(), $"choices-{Environment.ProcessId}-{Guid.NewGuid():N}.h2log");
        try
        {
            RunLog.Write(path, new H2Sim.Protocol.Trace.RunManifest { Spec = spec, Seed = 9 }, recorder.Merged(), run.Result.TraceHash, run.Report.OutcomeKind);
            var log = RunLog.Read(path);
            Assert.Contains(log.Events, e => e.Kind == EventKinds.Choice);

            var replay = Replayer.Replay(log, _ => ScenarioModelFactory.FromSpec, partitions: 2);

            Assert.True(replay.Verified, replay.Divergence?.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Threads that see a shared flag in the same cycle trap into the BKL together.</summary>
    private static IEnumerable<GuestAction> ReleaseContenders(GuestThread t)
    {
        for (var i = 0; i < 3; i++)
        {
            yield return GuestLib.ThreadCreate(t.PcOf("contender"), i);
        }

        yield return Spin(5_000);
        t.Store(t.Address("go"), 1);
        yield return Call(Contend(t));
    }

    private static IEnumerable<GuestAction> Contender(GuestThread t)
    {
        while (t.Load(t.Address("go")) == 0)
        {
            yield return Spin(1);
        }

        yield return Call(Contend(t));
    }

    private static IEnumerable<GuestAction> Contend(GuestThread t)
    {
        for (var round = 0; round < 4; round++)
        {
            yield return Trap0(Trap0Numbers.FutexWake, t.Address("nobody"), 1);
        }
    }

    [Fact]
    public void Same_cycle_arrivals_at_a_free_bkl_are_a_choice_that_seeds_decide_both_ways()
    {
        var winners = new HashSet<uint>();
        var arrivals = 0;
        for (var seed = 1UL; seed <= 16; seed++)
        {
            var observer = new Choices();
            var definition = KernelTestSystems.OneVm(ReleaseContenders, extra: d => d.Program("contender", Contender));
            var (result, _) = H2Run.Run(definition, KernelVariant.Master, seed: seed, observer: observer);
            Assert.Equal("exit", result.Report.OutcomeKind);
            foreach (var choice in observer.Decided.Where(d => d.Kind == ChoiceKind.BklArrival))
            {
                arrivals++;
                winners.Add(choice.Chosen);
            }
        }

        Assert.True(arrivals > 0, "no two agents reached a free BKL in the same cycle");
        Assert.True(winners.Count >= 2, $"every arbitration went to the same agent: {string.Join(",", winners)}");
    }
}
