using Akka.Actor;
using Akka.Serialization;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Phold;
using H2Sim.Protocol.Serialization;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>
/// Issue 2: the multi-partition core run with <c>akka.actor.serialize-messages = on</c>, proving
/// that every message the engine sends between actors survives the wire as protobuf. Anything
/// that is not a protobuf message falls to <see cref="RejectingSerializer"/> instead of Akka's
/// reflection-based JSON default, so it fails the run rather than passing unnoticed.
/// </summary>
public sealed class SerializeMessagesTests
{
    private const string SerializeEverything = """
        akka.actor {
          serialize-messages = on
          serialize-creators = off
          serializers.reject = "H2Sim.Tests.Engine.RejectingSerializer, H2Sim.Tests"
          serialization-bindings { "System.Object" = reject }
        }
        """;

    [Fact]
    public void A_four_partition_run_with_every_message_serialized_passes_with_the_same_hash()
    {
        var spec = TestPhold.Spec(seed: 7, events: 20_000);
        var plain = AkkaEngine.Run(spec, 4, TestModels.Catalog);
        var before = ProtobufSerializer.SerializedCount;

        var serialized = AkkaEngine.Run(spec, 4, TestModels.Catalog, SerializeEverything);

        Assert.Equal(plain.TraceHash, serialized.TraceHash);
        Assert.Equal(plain.Events, serialized.Events);
        // Setup, ready, advance, done, batches and finish messages for every window went through
        // the protobuf serializer (other tests may add to the count, never subtract).
        Assert.True(ProtobufSerializer.SerializedCount - before >= (long)serialized.Windows * 8, "messages did not go through ProtobufSerializer");
    }

    [Fact]
    public void In_that_configuration_only_protobuf_messages_have_a_working_serializer()
    {
        var serializers = AkkaEngine.WithSystem(
            TestModels.Catalog,
            system => (
                Protobuf: system.Serialization.FindSerializerFor(new H2Sim.Protocol.Window.WindowDone()),
                Other: system.Serialization.FindSerializerFor(new object())),
            SerializeEverything);

        Assert.IsType<ProtobufSerializer>(serializers.Protobuf);
        var rejecting = Assert.IsType<RejectingSerializer>(serializers.Other);
        Assert.Throws<InvalidOperationException>(() => rejecting.ToBinary("a string"));
    }
}

/// <summary>Stands in for Akka's JSON fallback in the test above: serializes nothing.</summary>
public sealed class RejectingSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 4299;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new InvalidOperationException($"{obj.GetType().FullName} is not a protobuf message and must not cross actors");

    public override object FromBinary(byte[] bytes, Type type) => throw new InvalidOperationException("nothing to deserialize");
}
