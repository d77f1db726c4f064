using H2Sim.Core.Events;

namespace H2Sim.Core.Model;

/// <summary>
/// How a model names its actors and message kinds for people (`h2sim log`, timelines). A kind the
/// model does not know (a log written by a newer h2sim) is named `kind-N`, never an error.
/// </summary>
public interface IMessageNames
{
    /// <summary>An actor by its place in the system, e.g. `c0/hthread 2` or `c0/vm 3 (test)`.</summary>
    string Actor(uint actor);

    /// <summary>A message kind by the model's name for it, e.g. `interrupt`; `kind-N` when unknown.</summary>
    string Kind(int kind);

    /// <summary>The fault-plan kind a fault rule selects the message by (KILL, CHILDINT, …); null when faults never touch it.</summary>
    string? FaultKind(in SimEvent ev);

    /// <summary>What the message's arguments mean, e.g. `RESCHED_INT`; empty when they say nothing to a reader.</summary>
    string Arguments(in SimEvent ev);
}

/// <summary>Names for a model without its own: actors by number, kinds by number.</summary>
public sealed class NumberedMessageNames : IMessageNames
{
    public static readonly NumberedMessageNames Instance = new();

    public string Actor(uint actor) => $"actor {actor}";

    public string Kind(int kind) => $"kind-{kind}";

    public string? FaultKind(in SimEvent ev) => null;

    public string Arguments(in SimEvent ev) => string.Empty;
}
