using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace H2Sim.Protocol.Serialization;

/// <summary>
/// Akka serializer for every h2sim protobuf message (architecture.md §6: protobuf on the wire,
/// no reflection-based serializer). The manifest is the message's full protobuf name, so both
/// ends agree on the type without .NET type names crossing the wire. Bound in hocon/h2sim.conf.
/// </summary>
public sealed class ProtobufSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 4207;

    private static readonly Dictionary<string, MessageParser> ParsersByName = BuildParsers();
    private static long toBinaryCount;

    public ProtobufSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => SerializerId;

    /// <summary>Messages this process has serialized through this serializer (a test asserts on it).</summary>
    public static long SerializedCount => Interlocked.Read(ref toBinaryCount);

    /// <summary>Every protobuf message type this serializer knows, by full name.</summary>
    public static IReadOnlyCollection<string> KnownMessageNames => ParsersByName.Keys;

    public override byte[] ToBinary(object obj)
    {
        if (obj is not IMessage message)
        {
            throw new ArgumentException($"ProtobufSerializer cannot serialize {obj.GetType()}: not a protobuf message");
        }

        Interlocked.Increment(ref toBinaryCount);
        return message.ToByteArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!ParsersByName.TryGetValue(manifest, out var parser))
        {
            throw new System.Runtime.Serialization.SerializationException($"Unknown protobuf manifest '{manifest}'");
        }

        return parser.ParseFrom(bytes);
    }

    public override string Manifest(object o) => o is IMessage message
        ? message.Descriptor.FullName
        : throw new ArgumentException($"ProtobufSerializer has no manifest for {o.GetType()}");

    /// <summary>Looks up the parser for a message name; used by the log reader too.</summary>
    public static MessageParser ParserFor(string fullName) => ParsersByName[fullName];

    private static Dictionary<string, MessageParser> BuildParsers()
    {
        var files = new[]
        {
            Window.WindowReflection.Descriptor,
            Model.ModelReflection.Descriptor,
            Trace.TraceReflection.Descriptor,
            Kernel.KernelReflection.Descriptor,
            Cluster.ClusterReflection.Descriptor,
        };
        var parsers = new Dictionary<string, MessageParser>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (var type in file.MessageTypes)
            {
                AddRecursive(type, parsers);
            }
        }

        return parsers;
    }

    private static void AddRecursive(MessageDescriptor type, Dictionary<string, MessageParser> parsers)
    {
        if (type.Parser is not null)
        {
            parsers[type.FullName] = type.Parser;
        }

        foreach (var nested in type.NestedTypes)
        {
            AddRecursive(nested, parsers);
        }
    }
}
