using System.Runtime.InteropServices;

namespace H2Sim.Core.Events;

/// <summary>
/// One message between logical actors, as the partition event loop carries it: a plain struct so
/// the hot path allocates nothing. Ordered by the key (Time, Target, Source, Sequence)
/// (architecture.md §4). Kind and the three arguments are the model's payload.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct SimEvent
{
    /// <summary>Delivery time in cycles.</summary>
    public ulong Time;

    /// <summary>Destination logical actor.</summary>
    public uint Target;

    /// <summary>Sending logical actor.</summary>
    public uint Source;

    /// <summary>Per-source sequence number: makes the key unique and placement-independent.</summary>
    public ulong Sequence;

    public int Kind;
    public long A;
    public long B;
    public long C;

    public SimEvent(ulong time, uint target, uint source, ulong sequence, int kind, long a, long b, long c)
    {
        Time = time;
        Target = target;
        Source = source;
        Sequence = sequence;
        Kind = kind;
        A = a;
        B = b;
        C = c;
    }

    /// <summary>True when this event's key orders before <paramref name="other"/>'s.</summary>
    public readonly bool PrecedesKey(in SimEvent other)
    {
        if (Time != other.Time)
        {
            return Time < other.Time;
        }

        if (Target != other.Target)
        {
            return Target < other.Target;
        }

        if (Source != other.Source)
        {
            return Source < other.Source;
        }

        return Sequence < other.Sequence;
    }

    public override readonly string ToString() =>
        $"t={Time} {Source}->{Target} #{Sequence} kind={Kind} a={A} b={B} c={C}";
}
