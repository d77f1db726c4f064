using System.Buffers.Binary;
using H2Sim.Protocol.Trace;

namespace H2Sim.Core.Events;

/// <summary>
/// The canonical encoding of an event: 52 bytes, little-endian, fields in key order then payload.
/// The trace hash covers exactly these bytes, and cross-partition batches carry them.
/// </summary>
public static class EventCodec
{
    public const int EncodedSize = 52;

    public static void Write(in SimEvent ev, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, ev.Time);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], ev.Target);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], ev.Source);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], ev.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], ev.Kind);
        BinaryPrimitives.WriteInt64LittleEndian(destination[28..], ev.A);
        BinaryPrimitives.WriteInt64LittleEndian(destination[36..], ev.B);
        BinaryPrimitives.WriteInt64LittleEndian(destination[44..], ev.C);
    }

    public static SimEvent Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(source),
        BinaryPrimitives.ReadUInt32LittleEndian(source[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[12..]),
        BinaryPrimitives.ReadUInt64LittleEndian(source[16..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[24..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[28..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[36..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[44..]));

    public static EventRecord ToRecord(in SimEvent ev) => new()
    {
        TimeCycles = ev.Time,
        Target = ev.Target,
        Source = ev.Source,
        Sequence = ev.Sequence,
        Kind = ev.Kind,
        A = ev.A,
        B = ev.B,
        C = ev.C,
    };

    public static SimEvent FromRecord(EventRecord record) => new(
        record.TimeCycles, record.Target, record.Source, record.Sequence, record.Kind, record.A, record.B, record.C);
}
