using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Model;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Window;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>
/// The coordinator side of the window protocol, with probes playing two partitions: it starts
/// window 1, then only follows the partitions' reports (they start later windows themselves),
/// ends the run when the reports leave nothing pending, and names the window and the silent
/// partition when a window times out.
/// </summary>
public sealed class CoordinatorActorTests : TestKit
{
    private const string Model = "scripted-coordinator-actor-tests";
    private const ulong RunId = 7;

    static CoordinatorActorTests() => TestModels.Catalog.Register(Model, new ScriptedFactory(2));

    public CoordinatorActorTests()
        : base(HoconConfig.Embedded())
    {
        ModelCatalog.Install(Sys, TestModels.Catalog);
    }

    [Fact]
    public async Task After_window_one_it_sends_no_advance_and_ends_the_run_when_the_reports_leave_nothing_pending()
    {
        var (coordinator, partitions, completion) = Start(TimeSpan.FromSeconds(30));
        ReportReady(coordinator, partitions);
        foreach (var partition in partitions)
        {
            var advance = partition.ExpectMsg<WindowAdvance>();
            Assert.Equal((1UL, 100UL, 200UL), (advance.Window, advance.StartCycles, advance.EndCycles));
        }

        // Window 1 leaves an event at 300: the partitions run window 2 on their own.
        coordinator.Tell(Done(partition: 0, window: 1, next: 300));
        coordinator.Tell(Done(partition: 1, window: 1, next: ulong.MaxValue));
        partitions[0].ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        partitions[1].ExpectNoMsg(TimeSpan.Zero);

        // A fast partition's report for window 2 may come before a slow one's for window 1; here
        // both are in order, and window 2 leaves nothing.
        coordinator.Tell(Done(partition: 1, window: 2, next: ulong.MaxValue));
        coordinator.Tell(Done(partition: 0, window: 2, next: ulong.MaxValue, lastEvent: 300));
        foreach (var (partition, index) in partitions.Select((p, i) => (p, i)))
        {
            Assert.Equal("Quiescent", partition.ExpectMsg<RunFinish>().Reason);
            partition.Reply(new PartitionFinished { RunId = RunId, Partition = (uint)index, Report = new ModelReport { OutcomeKind = "ok" }, EventsDelivered = 1 });
        }

        var result = await completion.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((2UL, 300UL, 2UL, RunEndReason.Quiescent), (result.Windows, result.VirtualCycles, result.Events, result.Reason));
    }

    [Fact]
    public async Task A_window_one_partition_never_reports_fails_the_run_naming_the_window_and_that_partition()
    {
        var (coordinator, partitions, completion) = Start(TimeSpan.FromSeconds(1));
        ReportReady(coordinator, partitions);
        partitions[0].ExpectMsg<WindowAdvance>();
        coordinator.Tell(Done(partition: 0, window: 1, next: 300));
        coordinator.Tell(Done(partition: 0, window: 2, next: 400));

        var message = (await Assert.ThrowsAsync<SimulationFailedException>(() => completion.Task.WaitAsync(TimeSpan.FromSeconds(10)))).Message;
        Assert.StartsWith("window 1 did not complete", message);
        Assert.EndsWith("no report from partition 1", message);
    }

    private (IActorRef Coordinator, TestProbe[] Partitions, TaskCompletionSource<RunResult> Completion) Start(TimeSpan windowTimeout)
    {
        var partitions = new[] { CreateTestProbe(), CreateTestProbe() };
        var completion = new TaskCompletionSource<RunResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var coordinator = Sys.ActorOf(CoordinatorActor.Props(
            ScriptedFactory.Spec(Model), partitions.Select(p => p.Ref).ToList(), completion, windowTimeout, p => $"partition {p}", RunId));
        return (coordinator, partitions, completion);
    }

    /// <summary>Both partitions set up, with their first events at 100 and nothing sent.</summary>
    private static void ReportReady(IActorRef coordinator, TestProbe[] partitions)
    {
        foreach (var (partition, index) in partitions.Select((p, i) => (p, i)))
        {
            partition.ExpectMsg<PartitionSetup>();
            coordinator.Tell(new PartitionReady { RunId = RunId, Partition = (uint)index, NextEventCycles = 100, MinSentCycles = ulong.MaxValue, BatchesSent = { 0, 0 } });
        }
    }

    private static WindowDone Done(uint partition, ulong window, ulong next, ulong lastEvent = 0) => new()
    {
        RunId = RunId,
        Window = window,
        Partition = partition,
        NextEventCycles = next,
        MinSentCycles = ulong.MaxValue,
        BatchesSent = { 0, 0 },
        EventsDelivered = 1,
        LastEventCycles = lastEvent,
    };
}
