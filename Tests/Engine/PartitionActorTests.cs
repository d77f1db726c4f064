using Akka.Actor;
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
/// actor 1 on the (probe) peer.
/// </summary>
public sealed class PartitionActorTests : TestKit
{
    private const string Model = "scripted-partition-actor-tests";
    private const ulong RunId = 42;

    static PartitionActorTests() => ModelRegistry.Register(Model, new ScriptedFactory(2));

    public PartitionActorTests()
        : base(HoconConfig.Embedded())
    {
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

    private IActorRef SetUpPartition()
    {
        var partition = Sys.ActorOf(PartitionActor.Props(), "partition");
        partition.Tell(Setup(partition));
        return partition;
    }

    private PartitionSetup Setup(IActorRef partition)
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
        setup.PartitionPaths.Add(Akka.Serialization.Serialization.SerializedActorPath(CreateTestProbe().Ref));
        return setup;
    }

    private static WindowAdvance Advance(uint expectedBatches) =>
        new() { RunId = RunId, Window = 1, StartCycles = 100, EndCycles = 200, ExpectedBatches = expectedBatches };

    private static EventBatch BatchFromPeer(ulong timeCycles)
    {
        var bytes = new byte[EventCodec.EncodedSize];
        EventCodec.Write(new SimEvent(timeCycles, target: 0, source: 1, sequence: 0, kind: 1, a: 0, b: 0, c: 0), bytes);
        return new EventBatch { RunId = RunId, Window = 0, SourcePartition = 1, Count = 1, Events = ByteString.CopyFrom(bytes) };
    }
}
