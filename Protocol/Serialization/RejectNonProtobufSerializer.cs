using Akka.Actor;
using Akka.Serialization;

namespace H2Sim.Protocol.Serialization;

/// <summary>
/// Bound to <c>System.Object</c> in hocon/cluster.conf, in place of Akka's reflection-based JSON
/// default (architecture.md §6: no reflection-based serializer on the wire). Akka's own control
/// messages keep their more specific bindings and h2sim's messages bind to
/// <see cref="ProtobufSerializer"/>; anything else that tries to cross to another node lands here
/// and fails loudly — the message is dropped and a run waiting on it fails by its window timeout
/// — instead of travelling as JSON. Tests assert that <see cref="RejectedCount"/> stays 0.
/// </summary>
public sealed class RejectNonProtobufSerializer : Serializer
{
    public const int SerializerId = 4208;

    private static long rejectedCount;

    public RejectNonProtobufSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    public override bool IncludeManifest => false;

    /// <summary>Messages this process refused to put on the wire.</summary>
    public static long RejectedCount => Interlocked.Read(ref rejectedCount);

    public override byte[] ToBinary(object obj)
    {
        Interlocked.Increment(ref rejectedCount);
        throw new ArgumentException(
            $"{obj.GetType().FullName} is not a protobuf message: h2sim sends only Protocol/ messages between nodes");
    }

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new System.Runtime.Serialization.SerializationException(
            $"a peer sent {type?.FullName ?? "a message"} with a non-protobuf serializer; h2sim nodes accept only Protocol/ messages");
}
