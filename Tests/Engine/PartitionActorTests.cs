using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Google.Protobuf;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Events;
using H2Sim.Protocol.Window;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>
/// The partition side of the window protocol (architecture.md §5), with the test playing the
/// coordinator and the peer partition. Two actors: actor 0 lives on the partition under test,
/// actor 1 on the (probe) peer. The coordinator starts window 1; later windows start from the
/// partitions' reports alone.
/// </summary>
public sealed class PartitionActorTests : TestKit
{
    private const string Model = "scripted-partition-actor-tests";
    private const ulong RunId = 42;

    static PartitionActorTests() => TestModels.Catalog.Register(Model, new ScriptedFactory(2));

    public PartitionActorTests()
        : base(HoconConfig.Embedded())
    {
        ModelCatalog.Install(Sys, TestModels.Catalog);
    }

    [Fact]
    public void A_window_runs_only_once_the_batches_the_coordinator_expects_have_arrived()
    {
        var partition = SetUpPartition();
        ExpectMsg<PartitionReady>(ready => ready.RunId == RunId && string.IsNullOrEmpty(ready.Error));

        partition.Tell(Advance(expectedBatches: 1));
        partition.Tell(BatchFromPeer(timeCycles: 150));

        // Had the window run on the advance alone, it would have reported 0 events.
        var done = ExpectMsg<WindowDone>();
        Assert.Equal((1UL, 1UL), (done.Window, done.EventsDelivered));
        Assert.Equal(ulong.MaxValue, done.NextEventCycles);
    }

    [Fact]
    public void A_batch_that_arrives_before_the_partitions_setup_is_kept_for_its_window()
    {
        var partition = Sys.ActorOf(PartitionActor.Props(), "early-batch");
        partition.Tell(BatchFromPeer(timeCycles: 120));
        partition.Tell(Setup(partition));
        ExpectMsg<PartitionReady>(ready => string.IsNullOrEmpty(ready.Error));

        partition.Tell(Advance(expectedBatches: 1));

        Assert.Equal(1UL, ExpectMsg<WindowDone>().EventsDelivered);
    }

    [Fact]
    public void After_the_first_window_the_next_starts_when_the_peers_report_and_the_batches_it_counts_are_in()
    {
        var (partition, peer, own) = PartitionPastTheFirstWindow();
        Assert.Equal(0UL, own.EventsDelivered);
        // The peer hears this partition's report too: it decides the next window from it.
        Assert.Equal(own, peer.ExpectMsg<WindowDone>());

        // The peer's report: one batch sent to partition 0 in window 1, its next event at 250.
        partition.Tell(BatchFromPeer(timeCycles: 260, window: 1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        partition.Tell(PeerDone(window: 1, nextEventCycles: 250, batchesToPartition0: 1));

        // Window 2 is [250, 350): it delivers the batch's event at 260 with no WindowAdvance.
        var second = ExpectMsg<WindowDone>();
        Assert.Equal((2UL, 1UL), (second.Window, second.EventsDelivered));
    }

    [Fact]
    public void A_peers_report_that_counts_a_batch_not_yet_here_holds_the_next_window_back()
    {
        var partition = PartitionPastTheFirstWindow().Partition;

        partition.Tell(PeerDone(window: 1, nextEventCycles: 250, batchesToPartition0: 1));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        partition.Tell(BatchFromPeer(timeCycles: 260, window: 1));

        var second = ExpectMsg<WindowDone>();
        Assert.Equal((2UL, 1UL), (second.Window, second.EventsDelivered));
    }

    [Fact]
    public void When_the_reports_leave_nothing_pending_no_window_starts_and_the_partition_waits_for_the_finish()
    {
        var partition = PartitionPastTheFirstWindow().Partition;

        partition.Tell(PeerDone(window: 1, nextEventCycles: ulong.MaxValue, batchesToPartition0: 0));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        partition.Tell(new RunFinish { RunId = RunId, Reason = "quiescent", EndCycles = 0 });
        Assert.Equal(0UL, ExpectMsg<PartitionFinished>().EventsDelivered);
    }

    /// <summary>A partition whose peer is a probe, after an empty first window; its own report for that window.</summary>
    private (IActorRef Partition, TestProbe Peer, WindowDone Own) PartitionPastTheFirstWindow()
    {
        var peer = CreateTestProbe();
        var partition = SetUpPartition(peer);
        ExpectMsg<PartitionReady>();
        partition.Tell(Advance(expectedBatches: 0));
        return (partition, peer, ExpectMsg<WindowDone>(done => done.Window == 1));
    }

    private IActorRef SetUpPartition(TestProbe? peer = null)
    {
        var partition = Sys.ActorOf(PartitionActor.Props(), "partition");
        partition.Tell(Setup(partition, peer));
        return partition;
    }

    private PartitionSetup Setup(IActorRef partition, TestProbe? peer = null)
    {
        var setup = new PartitionSetup
        {
            RunId = RunId,
            Partition = 0,
            PartitionCount = 2,
            Spec = ScriptedFactory.Spec(Model),
            CoordinatorPath = Akka.Serialization.Serialization.SerializedActorPath(TestActor),
        };
        setup.PartitionPaths.Add(Akka.Serialization.Serialization.SerializedActorPath(partition));
        setup.PartitionPaths.Add(Akka.Serialization.Serialization.SerializedActorPath((peer ?? CreateTestProbe()).Ref));
        return setup;
    }

    private static WindowAdvance Advance(uint expectedBatches) =>
        new() { RunId = RunId, Window = 1, StartCycles = 100, EndCycles = 200, ExpectedBatches = expectedBatches };

    /// <summary>Partition 1's report for a window in which it delivered nothing.</summary>
    private static WindowDone PeerDone(ulong window, ulong nextEventCycles, uint batchesToPartition0) =>
        new()
        {
            RunId = RunId,
            Window = window,
            Partition = 1,
            NextEventCycles = nextEventCycles,
            MinSentCycles = batchesToPartition0 > 0 ? 260 : ulong.MaxValue,
            BatchesSent = { batchesToPartition0, 0 },
        };

    private static EventBatch BatchFromPeer(ulong timeCycles, ulong window = 0)
    {
        var bytes = new byte[EventCodec.EncodedSize];
        EventCodec.Write(new SimEvent(timeCycles, target: 0, source: 1, sequence: 0, kind: 1, a: 0, b: 0, c: 0), bytes);
        return new EventBatch { RunId = RunId, Window = window, SourcePartition = 1, Count = 1, Events = ByteString.CopyFrom(bytes) };
    }
}
