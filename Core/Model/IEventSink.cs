using H2Sim.Core.Faults;

namespace H2Sim.Core.Model;

/// <summary>
/// What a model sees of the engine while it handles an event: the current virtual time and a way
/// to send messages. Whether the target is in this partition (an enqueue) or another (a batch)
/// is the engine's business, not the model's (style.md §4).
/// </summary>
public interface IEventSink
{
    /// <summary>Virtual time of the event being delivered, in cycles.</summary>
    ulong NowCycles { get; }

    /// <summary>
    /// Sends a message from <paramref name="source"/> (an actor of this partition) to
    /// <paramref name="target"/>, delivered <paramref name="delayCycles"/> from now. A message to
    /// another placement group must have a delay of at least the lookahead.
    /// </summary>
    void Send(uint source, uint target, ulong delayCycles, int kind, long a = 0, long b = 0, long c = 0);

    /// <summary>
    /// Sends like <see cref="Send"/> and says what the fault plan did to the message. A model uses
    /// it for a message whose handling belongs to the sender's own step (a CHILDINT posted inside
    /// the stopping thread's critical section): delivered as sent, the sender applies it at once;
    /// dropped, it never happens; delayed, reordered or duplicated, the late copy is handled when
    /// it arrives.
    /// </summary>
    SentMessage SendTracked(uint source, uint target, ulong delayCycles, int kind, long a = 0, long b = 0, long c = 0);
}

/// <summary>A sent message's id (its source's sequence number) and the fault, if any, that hit it.</summary>
public readonly record struct SentMessage(ulong Sequence, FaultAction Fault);
