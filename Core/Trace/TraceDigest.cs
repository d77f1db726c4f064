using System.Buffers.Binary;
using System.IO.Hashing;
using H2Sim.Core.Events;
using H2Sim.Protocol.Window;

namespace H2Sim.Core.Trace;

/// <summary>
/// The trace hash (architecture.md §4). Each logical actor chains XxHash64 over the canonical
/// encoding of every message delivered to it, in key order (a partition pops events in key order,
/// and one actor lives in one partition, so the chain does not depend on placement). The run's
/// hash is XxHash64 over (actor, delivered count, chain) for every actor in id order: every
/// delivered message, grouped by destination, each group in key order.
/// </summary>
public static class TraceDigest
{
    /// <summary>Folds one delivered event into an actor's chain; allocation-free.</summary>
    public static ulong Chain(ulong previous, in SimEvent ev)
    {
        Span<byte> buffer = stackalloc byte[EventCodec.EncodedSize];
        EventCodec.Write(ev, buffer);
        return XxHash64.HashToUInt64(buffer, unchecked((long)previous));
    }

    /// <summary>Combines per-actor digests from every partition into the run's trace hash.</summary>
    public static ulong Combine(IEnumerable<ActorDigest> digests)
    {
        var ordered = digests.OrderBy(d => d.Actor).ToList();
        var hasher = new XxHash64();
        Span<byte> buffer = stackalloc byte[20];
        uint? previousActor = null;
        foreach (var digest in ordered)
        {
            if (previousActor == digest.Actor)
            {
                throw new InvalidOperationException($"actor {digest.Actor} reported by two partitions");
            }

            previousActor = digest.Actor;
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, digest.Actor);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[4..], digest.Delivered);
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[12..], digest.Hash);
            hasher.Append(buffer);
        }

        return hasher.GetCurrentHashAsUInt64();
    }

    /// <summary>The user-facing form: "0x" and 16 hex digits.</summary>
    public static string Format(ulong hash) => $"0x{hash:x16}";
}
