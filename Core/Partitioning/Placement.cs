using H2Sim.Core.Model;

namespace H2Sim.Core.Partitioning;

/// <summary>
/// Placement of logical actors onto partitions: a pure function of (group, partition count).
/// Group g goes to partition g mod P. Results never depend on it: events are ordered by a key
/// that names no partition, and every actor's delivery stream is the same wherever it lives.
/// </summary>
public static class Placement
{
    public static int PartitionOfGroup(int group, int partitionCount) => group % partitionCount;

    /// <summary>Precomputes actor → partition for the hot path (one array lookup per send).</summary>
    public static int[] PartitionOfEveryActor(ModelTopology topology, int partitionCount)
    {
        var result = new int[topology.ActorCount];
        for (uint actor = 0; actor < topology.ActorCount; actor++)
        {
            result[actor] = PartitionOfGroup(topology.GroupOfActor(actor), partitionCount);
        }

        return result;
    }
}
