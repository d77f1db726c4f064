namespace H2Sim.Core.Model;

/// <summary>
/// The logical actors of a model and their placement groups. A group is the unit of placement
/// (a whole Hexagon cluster for the kernel model, architecture.md §5): the actors of a group
/// always share a partition. <paramref name="GroupOfActor"/> must be a pure function.
/// </summary>
public sealed record ModelTopology(uint ActorCount, int GroupCount, Func<uint, int> GroupOfActor)
{
    /// <summary>
    /// About how many events the model can have pending at once (0: no idea). A partition sizes its
    /// queue from it, so a large system does not regrow the queue inside its windows and a small
    /// one does not allocate a large array per run.
    /// </summary>
    public long PendingEventsHint { get; init; }
}
