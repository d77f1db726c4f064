using H2Sim.Core.Model;

namespace H2Sim.Core.Partitioning;

/// <summary>What a partition's model needs to know of placement: which groups and actors are its own.</summary>
public sealed class PartitionView
{
    private readonly int[] partitionOfActor;

    public PartitionView(int partition, int partitionCount, ModelTopology topology, int[] partitionOfActor)
    {
        Partition = partition;
        PartitionCount = partitionCount;
        Topology = topology;
        this.partitionOfActor = partitionOfActor;
    }

    public int Partition { get; }

    public int PartitionCount { get; }

    public ModelTopology Topology { get; }

    public bool OwnsActor(uint actor) => partitionOfActor[actor] == Partition;

    public bool OwnsGroup(int group) => Placement.PartitionOfGroup(group, PartitionCount) == Partition;

    public int PartitionOfActor(uint actor) => partitionOfActor[actor];
}
