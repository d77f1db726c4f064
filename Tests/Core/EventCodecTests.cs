using H2Sim.Core.Events;
using H2Sim.Core.Randomness;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class EventCodecTests
{
    [Fact]
    public void Extreme_values_round_trip_in_every_field()
    {
        SimEvent[] events =
        [
            new(0, 0, 0, 0, 0, 0, 0, 0),
            new(ulong.MaxValue, uint.MaxValue, uint.MaxValue, ulong.MaxValue, int.MinValue, long.MinValue, long.MaxValue, -1),
            new(0x0102030405060708, 0x11121314, 0x21222324, 0x3132333435363738, -7, 42, -42, 1L << 40),
        ];
        var bytes = new byte[EventCodec.EncodedSize];
        foreach (var ev in events)
        {
            EventCodec.Write(ev, bytes);
            Assert.Equal(ev, EventCodec.Read(bytes));
            Assert.Equal(ev, EventCodec.FromRecord(EventCodec.ToRecord(ev)));
        }
    }

    [Fact]
    public void Random_events_round_trip_through_bytes_and_records()
    {
        var random = new DeterministicRandom(11, 0, (RandomPurpose)0);
        var bytes = new byte[EventCodec.EncodedSize];
        for (var i = 0; i < 1_000; i++)
        {
            var ev = new SimEvent(
                random.NextUInt64(), (uint)random.NextUInt64(), (uint)random.NextUInt64(), random.NextUInt64(),
                (int)random.NextUInt64(), (long)random.NextUInt64(), (long)random.NextUInt64(), (long)random.NextUInt64());
            EventCodec.Write(ev, bytes);
            Assert.Equal(ev, EventCodec.Read(bytes));
            Assert.Equal(ev, EventCodec.FromRecord(EventCodec.ToRecord(ev)));
        }
    }

    [Fact]
    public void Encoding_is_little_endian_in_key_order_then_payload()
    {
        var bytes = new byte[EventCodec.EncodedSize];
        EventCodec.Write(new SimEvent(0x0102030405060708, 0x11121314, 0x21222324, 0x3132333435363738, 0x41424344, 0x5152535455565758, 0, 0), bytes);

        Assert.Equal(new byte[] { 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01 }, bytes[..8]);
        Assert.Equal(new byte[] { 0x14, 0x13, 0x12, 0x11 }, bytes[8..12]);
        Assert.Equal(new byte[] { 0x24, 0x23, 0x22, 0x21 }, bytes[12..16]);
        Assert.Equal(new byte[] { 0x38, 0x37, 0x36, 0x35, 0x34, 0x33, 0x32, 0x31 }, bytes[16..24]);
        Assert.Equal(new byte[] { 0x44, 0x43, 0x42, 0x41 }, bytes[24..28]);
        Assert.Equal(new byte[] { 0x58, 0x57, 0x56, 0x55, 0x54, 0x53, 0x52, 0x51 }, bytes[28..36]);
    }
}
