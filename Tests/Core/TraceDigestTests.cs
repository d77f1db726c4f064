using System.IO.Hashing;
using H2Sim.Core.Events;
using H2Sim.Core.Randomness;
using H2Sim.Core.Trace;
using H2Sim.Protocol.Window;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class TraceDigestTests
{
    [Fact]
    public void Chain_is_xxhash64_of_the_canonical_encoding_seeded_with_the_previous_chain()
    {
        var random = new DeterministicRandom(5, 0, (RandomPurpose)0);
        var bytes = new byte[EventCodec.EncodedSize];
        var chain = 0UL;
        for (var i = 0; i < 2_000; i++)
        {
            var ev = new SimEvent(
                random.NextUInt64(), (uint)random.NextUInt64(), (uint)random.NextUInt64(), random.NextUInt64(),
                (int)random.NextUInt64(), (long)random.NextUInt64(), (long)random.NextUInt64(), (long)random.NextUInt64());
            EventCodec.Write(ev, bytes);
            var expected = XxHash64.HashToUInt64(bytes, unchecked((long)chain));
            chain = TraceDigest.Chain(chain, ev);
            Assert.Equal(expected, chain);
        }
    }

    [Fact]
    public void Combine_does_not_depend_on_the_order_partitions_report_in()
    {
        var digests = Enumerable.Range(0, 50)
            .Select(i => new ActorDigest { Actor = (uint)i, Delivered = (ulong)i + 1, Hash = (ulong)i * 0x9E3779B97F4A7C15UL })
            .ToList();

        var forward = TraceDigest.Combine(digests);
        var backward = TraceDigest.Combine(Enumerable.Reverse(digests));

        Assert.Equal(forward, backward);
        Assert.NotEqual(forward, TraceDigest.Combine(digests.Take(49)));
    }

    [Fact]
    public void An_actor_reported_by_two_partitions_is_an_error()
    {
        var digest = new ActorDigest { Actor = 3, Delivered = 1, Hash = 1 };
        Assert.Throws<InvalidOperationException>(() => TraceDigest.Combine([digest, digest.Clone()]));
    }

    [Fact]
    public void Hash_text_is_0x_and_16_hex_digits()
    {
        Assert.Equal("0x00000000000000ff", TraceDigest.Format(255));
        Assert.Matches("^0x[0-9a-f]{16}$", TraceDigest.Format(ulong.MaxValue));
    }
}
