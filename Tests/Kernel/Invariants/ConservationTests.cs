using H2Sim.Core.Model;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Kernel.Vm;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Invariants;

/// <summary>
/// Conservation at the end of every run (architecture.md §9): every vmblock created is freed or
/// reported live — one that drained and was never freed is a `leak`, not a PASS — and each parent
/// receives exactly the CHILDINTs the rule of §6.4 sends (posted, dropped by a fault, or found its
/// parent dead), on any partition count.
/// </summary>
public sealed class ConservationTests
{
    private static FaultPlan Plan(string kind, string action)
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = kind, Action = action, Probability = 1, Source = -1, Target = -1 });
        return plan;
    }

    [Fact]
    public void A_child_whose_vmop_free_is_lost_is_a_leak_not_a_pass()
    {
        var (result, _) = H2Run.Run(CrossClusterParentTestsAccess.System(), KernelVariant.Master, faults: Plan("VMOP_FREE", "drop"));

        Assert.Equal("violation", result.Report.OutcomeKind);
        Assert.Equal("leak", result.Report.ViolationInvariant);
        Assert.Contains("child-a", result.Report.Detail);
        Assert.Contains("child-b", result.Report.Detail);
        Assert.All(result.Report.Vms, v => Assert.Equal("exit", v.Kind));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Every_childint_sent_is_posted_when_nothing_is_lost(int partitions)
    {
        var (result, _) = H2Run.Run(CrossClusterParentTestsAccess.System(), KernelVariant.Master, partitions: partitions);

        Assert.Equal("exit", result.Report.OutcomeKind);
        Assert.NotEmpty(result.Report.ChildInts);
        foreach (var parent in result.Report.ChildInts.GroupBy(t => (t.Cluster, t.Vm)))
        {
            Assert.Equal(parent.Sum(t => t.Sent), parent.Sum(t => t.Posted));
        }
    }

    [Fact]
    public void A_duplicated_childint_is_posted_twice_and_the_books_still_balance()
    {
        var definition = KernelTestSystems.OneVm(t => [Spin(1_000), Print("TEST PASSED")]);

        var (result, _) = H2Run.Run(definition, KernelVariant.Master, faults: Plan("CHILDINT", "duplicate"));

        Assert.Equal("exit", result.Report.OutcomeKind);
        var tally = Assert.Single(result.Report.ChildInts);
        Assert.Equal((1u, 1u, 2u), (tally.Sent, tally.Duplicated, tally.Posted));
    }

    [Fact]
    public void Childints_that_do_not_balance_across_partitions_are_a_violation()
    {
        var definition = new SystemDefinition(new Topology(2, 2)) { Name = "books" };
        definition.AddVm(new VmDefinition("test", Booter.ProgramName, 0, 32));
        var exited = new ModelReport { OutcomeKind = string.Empty };
        var vm = new VmOutcome { Name = "test", Cluster = 0, Kind = "exit" };
        vm.Boots.Add(new BootOutcome { Boot = 1, Kind = "exit" });
        exited.Vms.Add(vm);
        exited.ChildInts.Add(new ChildIntTally { Cluster = 0, Vm = 1, Sent = 2 });
        var other = new ModelReport();
        other.ChildInts.Add(new ChildIntTally { Cluster = 0, Vm = 1, Posted = 1 });

        var merged = OutcomeReport.Merge(definition, [exited, other], RunEndReason.Quiescent, 100);

        Assert.Equal("violation", merged.OutcomeKind);
        Assert.Equal("childint-conservation", merged.ViolationInvariant);
        Assert.Contains("sent 2", merged.Detail);
        Assert.Contains("posted 1", merged.Detail);
    }

    [Fact]
    public void Every_vmblock_created_is_listed_at_the_end_with_its_freed_state()
    {
        var (result, _) = H2Run.Run(CrossClusterParentTestsAccess.System(), KernelVariant.Master);

        Assert.Equal("exit", result.Report.OutcomeKind);
        var children = result.Report.VmStates.Where(s => s.Name.StartsWith("child", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.True(c.Freed && c.NumCpus == 0));
        Assert.Contains(result.Report.VmStates, s => s.Name == "booter" && !s.Freed);
    }
}
