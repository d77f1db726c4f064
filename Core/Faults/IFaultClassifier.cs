using H2Sim.Core.Events;

namespace H2Sim.Core.Faults;

/// <summary>
/// A model factory that can say which of its messages are fault targets, by the names a fault plan
/// uses (RESCHED_INT, VM_IPI, KILL, CHILDINT, …). Other messages are never faulted.
/// </summary>
public interface IFaultClassifier
{
    /// <summary>The fault kind of a message, or null when faults never touch it.</summary>
    string? FaultKind(in SimEvent ev);
}
