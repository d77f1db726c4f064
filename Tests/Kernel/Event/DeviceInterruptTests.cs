using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Event;

/// <summary>
/// A device raises hardware interrupts (swi semantics, h2-domain.md §1): a popup waiter (§5.3) and
/// an intpool waiter (§5.4) are woken by them exactly as the kernel wakes them, including while the
/// VM that bound them is torn down — where each design's cancel (R7) decides the outcome.
/// </summary>
public sealed class DeviceInterruptTests
{
    private static string File(string name) => Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "interrupts", name);

    private static ScenarioRunResult Run(string file, KernelVariant kernel, long raiseAfter, FaultPlan? faults = null) =>
        ScenarioRunner.Run(ScenarioLoader.LoadFile(File(file)), new ScenarioRunOptions(kernel, Params: new Dictionary<string, long> { ["raise_after"] = raiseAfter }, Faults: faults));

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void A_raised_interrupt_wakes_the_popup_waiter_with_its_number(KernelVariant kernel)
    {
        var run = Run("popup_raise_during_exit.yaml", kernel, raiseAfter: 0);

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.Contains("woken by interrupt 40", ScenarioTestSupport.Printed(run));
    }

    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void A_raised_interrupt_wakes_the_intpool_waiter_with_its_number(KernelVariant kernel)
    {
        var run = Run("intpool_raise_during_exit.yaml", kernel, raiseAfter: 0);

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.Contains("woken by interrupt 41", ScenarioTestSupport.Printed(run));
    }

    [Fact]
    public void A_fault_plan_raise_at_a_virtual_time_wakes_the_waiter()
    {
        var plan = new FaultPlan();
        plan.Raises.Add(new InterruptRaise { Cluster = 0, InterruptNumber = 40, AtCycles = 60_000 });

        // raise_after far in the future: only the plan's raise can wake the waiter in time.
        var run = Run("popup_raise_during_exit.yaml", KernelVariant.Base, raiseAfter: 1_000_000_000, faults: plan);

        Assert.Contains("woken by interrupt 40", ScenarioTestSupport.Printed(run));
    }

    [Fact]
    public void Base_exit_leaves_the_popup_waiter_to_the_interrupt_and_it_drains_when_raised_late()
    {
        // exit(0) on [B] stops main only; the waiter lives until the device raises 40, then returns.
        var run = Run("popup_raise_during_exit.yaml", KernelVariant.Base, raiseAfter: 200_000);

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.Contains("woken by interrupt 40", ScenarioTestSupport.Printed(run));
    }

    [Fact]
    public void Pr39_reaps_a_popup_waiter_with_intpool_cancel_and_the_kernel_unlinks_it_from_a_ring_it_is_not_in()
    {
        var run = Run("popup_raise_during_exit.yaml", KernelVariant.Pr39, raiseAfter: 3_000);

        Assert.Equal(Verdict.Violation, run.Verdict.Kind);
        Assert.Equal("ring-membership", run.Report.ViolationInvariant);
    }

    [Fact]
    public void Pr39_unbinds_nothing_and_a_raise_after_the_free_reads_the_freed_vmblock()
    {
        var run = Run("intpool_raise_during_exit.yaml", KernelVariant.Pr39, raiseAfter: 200_000);

        Assert.Equal(Verdict.Violation, run.Verdict.Kind);
        Assert.Equal("use-after-free", run.Report.ViolationInvariant);
        Assert.Contains("H2K_intpool_int(41)", run.Report.Detail);
    }

    [Fact]
    public void Master_kills_a_popup_waiter_with_popup_cancel_and_a_later_raise_finds_no_handler()
    {
        var run = Run("popup_raise_during_exit.yaml", KernelVariant.Master, raiseAfter: 200_000);

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.DoesNotContain("woken by interrupt 40", ScenarioTestSupport.Printed(run));
    }

    [Fact]
    public void Master_kills_an_intpool_waiter_with_popup_cancel_which_writes_before_inthandlers()
    {
        var run = Run("intpool_raise_during_exit.yaml", KernelVariant.Master, raiseAfter: 3_000);

        Assert.Equal(Verdict.Violation, run.Verdict.Kind);
        Assert.Equal("inthandlers-bounds", run.Report.ViolationInvariant);
    }
}
