using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// `parent:` in a scenario: by default the booter; otherwise a VM on another cluster (the
/// cross-cluster extension), which supervises its children with the Supervisor routines.
/// </summary>
public sealed class ParentVmTests
{
    private const string Yaml = """
        params:
          kill: 0
        vms:
          - name: supervisor
            threads:
              main:
                - take_child_interrupts
                - spin: 20000
                - if: {that: kill, then: [{kill_child: {vm: child_a, status: 0x77}}]}
                - wait_children
                - print: TEST PASSED
          - name: child_a
            cluster: 1
            parent: supervisor
            expect_status: 0x77
            objects: {never: sem}
            threads:
              main:
                - create: {thread: stuck, id: s}
                - sem_wait: never
              stuck:
                - sem_wait: never
        """;

    [Fact]
    public void A_parent_on_another_cluster_kills_its_child_and_sees_the_stamped_status()
    {
        var run = ScenarioTestSupport.Run(Yaml, KernelVariant.Master, parameters: new Dictionary<string, long> { ["kill"] = 1 });

        Assert.Equal("PASS", run.Verdict.Kind);
        Assert.Equal(0x77, run.Report.Vms.Single(v => v.Name == "child_a").Status);
    }

    [Fact]
    public void Without_the_kill_the_stuck_child_never_drains()
    {
        var run = ScenarioTestSupport.Run(Yaml, KernelVariant.Master);

        // Both child threads stay BLOCKED, and so does the supervisor waiting for their CHILDINT.
        Assert.Equal("HANG", run.Verdict.Kind);
        Assert.Equal(2, run.Report.Stranded.Count(s => s.Cluster == 1));
        Assert.Contains(run.Report.Stranded, s => s.Cluster == 0);
    }

    [Fact]
    public void A_parent_on_the_same_cluster_or_an_unknown_child_is_an_error_with_its_line()
    {
        var sameCluster = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(Yaml.Replace("cluster: 1", "cluster: 0", StringComparison.Ordinal), "p.yaml"));
        Assert.Equal(14, sameCluster.Line);
        Assert.Contains("on another cluster", sameCluster.Message, StringComparison.Ordinal);

        var notChild = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(Yaml.Replace("vm: child_a", "vm: child_b", StringComparison.Ordinal), "p.yaml"));
        Assert.Equal(9, notChild.Line);
        Assert.Contains("'child_b' is not a child of VM 'supervisor'", notChild.Message, StringComparison.Ordinal);
    }
}
