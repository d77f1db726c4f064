namespace H2Sim.Core.Model;

/// <summary>
/// The logical actors of a model and their placement groups. A group is the unit of placement
/// (a whole Hexagon cluster for the kernel model, architecture.md §5): the actors of a group
/// always share a partition. <paramref name="GroupOfActor"/> must be a pure function.
/// </summary>
public sealed record ModelTopology(uint ActorCount, int GroupCount, Func<uint, int> GroupOfActor);
