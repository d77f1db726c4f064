using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>Lets other tests run the cross-cluster system (supervisor kills two remote children).</summary>
public static class CrossClusterParentTestsAccess
{
    public static SystemDefinition System() => CrossClusterParentTests.BuildSystem(childrenExitThemselves: false);
}

/// <summary>
/// The cross-cluster parent/child extension (architecture.md §2): a supervisor VM on cluster 0
/// parents VMs on clusters 1 and 2. Its VMOP_KILL_VM crosses the interconnect as a KILL message;
/// each child's teardown crosses back as CHILDINT; the supervisor reads each child's status and
/// num_cpus from the live vmblock (a VMOP_STATUS round trip) and frees them. On 1, 2 and 4
/// partitions the trace hash is the same.
/// </summary>
public sealed class CrossClusterParentTests
{
    private sealed class KindCounter : IDeliveryObserver
    {
        public Dictionary<string, int> Counts { get; } = new();

        public void OnDelivered(int partition, in SimEvent ev)
        {
            var name = EventKinds.Name(ev.Kind);
            Counts[name] = Counts.GetValueOrDefault(name) + 1;
        }
    }

    internal static SystemDefinition BuildSystem(bool childrenExitThemselves) => System(childrenExitThemselves);

    private static SystemDefinition System(bool childrenExitThemselves)
    {
        var definition = new SystemDefinition(Topology.Preset("v81")) { Name = "cross-cluster" };
        definition.Program("supervisor", SupervisorMain);
        definition.Program("child", childrenExitThemselves ? ChildExits : ChildBlocks);
        definition.Program("blocker", KernelTestSystems.BlockForever);
        definition.AddVm(new VmDefinition("supervisor", "supervisor", 0, 8));
        definition.AddVm(new VmDefinition("child-a", "child", 1, 8) { Parent = "supervisor" });
        definition.AddVm(new VmDefinition("child-b", "child", 2, 8) { Parent = "supervisor" });
        definition.Parameters["kill"] = childrenExitThemselves ? 0 : 1;
        return definition;
    }

    private static IEnumerable<GuestAction> SupervisorMain(GuestThread t)
    {
        yield return Call(Supervisor.TakeChildInterrupts(t));
        var handles = new[] { t.RemoteChildHandle("child-a"), t.RemoteChildHandle("child-b") };
        yield return Spin(20_000);
        if (t.System.Parameter("kill", 0) == 1)
        {
            foreach (var handle in handles)
            {
                yield return Call(Supervisor.KillChild(t, handle, 0x77));
            }
        }

        yield return Call(Supervisor.WaitForChildren(t, handles));
    }

    private static IEnumerable<GuestAction> ChildBlocks(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("blocker"), 0);
        while (true)
        {
            yield return GuestLib.FutexWait(t.Address("park"), 0);
        }
    }

    private static IEnumerable<GuestAction> ChildExits(GuestThread t)
    {
        yield return Spin(5_000);
        yield return Call(GuestLib.SysExit(t, 3));
    }

    [Fact]
    public void Supervisor_kills_children_on_other_clusters_and_sees_their_status()
    {
        var counter = new KindCounter();
        var (result, _) = H2Run.Run(System(childrenExitThemselves: false), KernelVariant.Master, observer: counter);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.Equal(0x77, result.Report.Vms.Single(v => v.Name == "child-a").Status);
        Assert.Equal(0x77, result.Report.Vms.Single(v => v.Name == "child-b").Status);
        Assert.Equal(2, counter.Counts["remote-kill"]);
        Assert.True(counter.Counts["remote-childint"] >= 2);
        Assert.Equal(2, counter.Counts["remote-free"]);
        Assert.Equal(counter.Counts["remote-status-read"], counter.Counts["remote-status-reply"]);
        Assert.True(counter.Counts["remote-status-read"] >= 4);
    }

    /// <summary>
    /// The parent reads the child's live vmblock, not a copy updated by whichever CHILDINT arrived
    /// last: with the interconnect's messages delayed and reordered, every seed still drains.
    /// </summary>
    [Fact]
    public void Delayed_and_reordered_interconnect_messages_never_leave_the_parent_a_stale_count()
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "CHILDINT", Action = "reorder", Probability = 0.5, DelayMaxCycles = 40_000, Source = -1, Target = -1 });
        plan.Rules.Add(new FaultRule { Kind = "INTERCONNECT", Action = "delay", Probability = 0.5, DelayMinCycles = 100, DelayMaxCycles = 20_000, Source = -1, Target = -1 });
        plan.Rules.Add(new FaultRule { Kind = "KILL", Action = "delay", Probability = 0.5, DelayMinCycles = 100, DelayMaxCycles = 20_000, Source = -1, Target = -1 });
        for (var seed = 1UL; seed <= 10; seed++)
        {
            var (result, _) = H2Run.Run(System(childrenExitThemselves: false), KernelVariant.Master, seed: seed, faults: plan);

            Assert.True(result.Report.OutcomeKind == "exit", $"seed {seed}: {result.Report.OutcomeKind}: {result.Report.Detail}");
            Assert.All(result.Report.Vms.Where(v => v.Name.StartsWith("child", StringComparison.Ordinal)), v => Assert.Equal(0x77, v.Status));
        }
    }

    [Theory]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Children_that_exit_themselves_reach_their_remote_parent(KernelVariant kernel)
    {
        var (result, _) = H2Run.Run(System(childrenExitThemselves: true), kernel);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.All(result.Report.Vms.Where(v => v.Name.StartsWith("child", StringComparison.Ordinal)), v => Assert.Equal(3, v.Status));
    }

    [Fact]
    public void The_hash_is_the_same_on_one_two_and_four_partitions()
    {
        var hashes = new[] { 1, 2, 4 }.Select(p => H2Run.Run(System(false), KernelVariant.Master, seed: 9, partitions: p).Result.TraceHash).ToList();
        Assert.Single(hashes.Distinct());
    }
}
