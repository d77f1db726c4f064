using H2Sim.Core.Events;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Model;

/// <summary>
/// One partition's share of a model: the state of the logical actors placed on it. Built from
/// the run's <see cref="ModelSpec"/> by <see cref="IModelFactory"/>, so any node can build it.
/// </summary>
public interface ISimModel
{
    /// <summary>Schedules the initial events of the actors this partition owns.</summary>
    void Start(IEventSink sink);

    /// <summary>Handles one delivered event (the hot path: allocate nothing here).</summary>
    void Deliver(in SimEvent ev, IEventSink sink);

    /// <summary>Set when the model wants the whole run to stop at the end of this window.</summary>
    bool StopRequested { get; }

    /// <summary>The partition's outcome once the run is over.</summary>
    ModelReport Finish(RunEndReason reason, ulong endCycles);
}

/// <summary>Why the engine stopped delivering events.</summary>
public enum RunEndReason
{
    /// <summary>No events remain anywhere.</summary>
    Quiescent,

    /// <summary>Events remain, but at or past the horizon.</summary>
    Horizon,

    /// <summary>A model asked to stop (for example an Angel exit or a deadlock).</summary>
    Stopped,
}
