using Akka.Configuration;

namespace H2Sim.Cluster.Settings;

/// <summary>h2sim.cluster (hocon/cluster.conf): present only in a cluster member's configuration.</summary>
/// <param name="JoinTimeout">How long a process waits to be admitted to a cluster and for its nodes.</param>
/// <param name="DeployTimeout">How long a node host may take to create a run's partition actors.</param>
public sealed record ClusterMembershipSettings(TimeSpan JoinTimeout, TimeSpan DeployTimeout)
{
    public const string SectionPath = "h2sim.cluster";

    public static ClusterMembershipSettings From(Config config)
    {
        var section = HoconSection.Of(config, SectionPath);
        return new ClusterMembershipSettings(section.Duration("join-timeout"), section.Duration("deploy-timeout"));
    }
}
