using System.Collections;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using H2Sim.Cluster.Engine;
using H2Sim.Protocol.Serialization;
using Xunit;

namespace H2Sim.Tests.Protocol;

/// <summary>Every protobuf message type round-trips through the serializer HOCON binds to it.</summary>
public sealed class ProtobufSerializerTests() : TestKit(HoconConfig.Embedded())
{
    public static TheoryData<string> MessageNames() => new(ProtobufSerializer.KnownMessageNames.Order(StringComparer.Ordinal));

    [Fact]
    public void Knows_the_messages_of_every_proto_file()
    {
        var names = ProtobufSerializer.KnownMessageNames;
        Assert.Contains("h2sim.window.WindowAdvance", names);
        Assert.Contains("h2sim.window.EventBatch", names);
        Assert.Contains("h2sim.model.ModelSpec", names);
        Assert.Contains("h2sim.trace.TraceRecord", names);
        Assert.Contains("h2sim.kernel.InterconnectEnvelope", names);
    }

    [Theory]
    [MemberData(nameof(MessageNames))]
    public void Every_field_of_the_message_round_trips(string name)
    {
        var descriptor = ProtobufSerializer.ParserFor(name).ParseFrom(ByteString.Empty).Descriptor;
        var variants = Populated(descriptor, depth: 0).ToList();
        Assert.NotEmpty(variants);
        foreach (var message in variants)
        {
            Assert.NotEqual(descriptor.Parser.ParseFrom(ByteString.Empty), message);

            // HOCON must bind the type to our serializer, not to a reflection-based fallback.
            var serializer = Assert.IsType<ProtobufSerializer>(Sys.Serialization.FindSerializerFor(message));
            var manifest = serializer.Manifest(message);
            var bytes = serializer.ToBinary(message);
            Assert.Equal(name, manifest);

            Assert.Equal(message, serializer.FromBinary(bytes, manifest));
            Assert.Equal(message, Sys.Serialization.Deserialize(bytes, ProtobufSerializer.SerializerId, manifest));
        }
    }

    [Fact]
    public void An_unknown_manifest_and_a_non_protobuf_object_are_errors()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(H2Sim.Protocol.Window.WindowDone));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "h2sim.nope.Missing"));
        Assert.Throws<ArgumentException>(() => serializer.ToBinary("a string"));
    }

    /// <summary>
    /// Instances with every field set to a value that differs from its default and from the other
    /// fields; one instance per member of the largest oneof, so each member is covered.
    /// </summary>
    private static IEnumerable<IMessage> Populated(MessageDescriptor descriptor, int depth)
    {
        var variantCount = Math.Max(1, descriptor.Oneofs.Select(o => o.Fields.Count).DefaultIfEmpty(1).Max());
        for (var variant = 0; variant < variantCount; variant++)
        {
            var message = descriptor.Parser.ParseFrom(ByteString.Empty);
            foreach (var field in descriptor.Fields.InFieldNumberOrder())
            {
                if (field.RealContainingOneof is { } oneof && oneof.Fields[variant % oneof.Fields.Count] != field)
                {
                    continue;
                }

                if (field.IsMap)
                {
                    var entry = field.MessageType;
                    var map = (IDictionary)field.Accessor.GetValue(message);
                    map[ValueFor(entry.FindFieldByNumber(1), depth, 1)] = ValueFor(entry.FindFieldByNumber(2), depth, 2);
                    map[ValueFor(entry.FindFieldByNumber(1), depth, 3)] = ValueFor(entry.FindFieldByNumber(2), depth, 4);
                }
                else if (field.IsRepeated)
                {
                    var list = (IList)field.Accessor.GetValue(message);
                    list.Add(ValueFor(field, depth, 1));
                    list.Add(ValueFor(field, depth, 2));
                }
                else
                {
                    field.Accessor.SetValue(message, ValueFor(field, depth, 0));
                }
            }

            yield return message;
        }
    }

    private static object ValueFor(FieldDescriptor field, int depth, int salt)
    {
        var n = (field.FieldNumber * 7) + salt + 1;
        return field.FieldType switch
        {
            FieldType.Double => n + 0.5,
            FieldType.Float => n + 0.25f,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => -n,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => -((long)n << 33),
            FieldType.UInt32 or FieldType.Fixed32 => (uint)n + 0x8000_0000u,
            FieldType.UInt64 or FieldType.Fixed64 => (ulong)(uint)n | 0x8000_0000_0000_0000UL,
            FieldType.Bool => true,
            FieldType.String => $"{field.Name}-{salt}",
            FieldType.Bytes => ByteString.CopyFrom((byte)n, (byte)(n >> 8), 0xFF),
            FieldType.Enum => field.EnumType.Values.Last().Number,
            FieldType.Message when depth < 3 => Populated(field.MessageType, depth + 1).First(),
            FieldType.Message => field.MessageType.Parser.ParseFrom(ByteString.Empty),
            _ => throw new NotSupportedException($"field type {field.FieldType} of {field.FullName}"),
        };
    }
}
