using H2Sim.HwThreadActors.Scenarios;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// A VM booted k times (`boots: k`, booter.c --boots) is judged on each boot, through the real
/// booter and kernel: nothing is re-initialised between boots (h2-domain.md §3.2), so a program
/// can tell its second boot by VMOP_STATUS(SELF) still holding the first boot's status.
/// </summary>
public sealed class PerBootVerdictTests
{
    private static string Yaml(string secondBoot) => $$"""
        vms:
          - name: test
            boots: 2
            expect_status: 3
            objects: {never: sem}
            threads:
              main:
                - vmop_status: {what: status, vm: 0, save: before}
                - if: {that: before == 0, then: [{print: TEST PASSED}, {exit: 3}], else: [{{secondBoot}}]}
        """;

    [Fact]
    public void Both_boots_passing_is_a_pass_with_two_drains()
    {
        var run = ScenarioTestSupport.Run(Yaml("{print: TEST PASSED}, {exit: 3}"));

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.Equal([1u, 2u], run.Report.Vms.Single().Boots.Select(b => b.Boot));
    }

    [Fact]
    public void A_second_boot_without_test_passed_fails()
    {
        var run = ScenarioTestSupport.Run(Yaml("{print: second boot}, {exit: 3}"));

        Assert.Equal(Verdict.Fail, run.Verdict.Kind);
        Assert.Contains("not on boot 2", run.Verdict.Detail);
    }

    [Fact]
    public void A_second_boot_with_the_wrong_status_fails()
    {
        var run = ScenarioTestSupport.Run(Yaml("{print: TEST PASSED}, {exit: 4}"));

        // The booter prints FAIL for the second drain (status 4, expected 3); the first boot's drain was fine.
        Assert.Equal(Verdict.Fail, run.Verdict.Kind);
        Assert.Contains("status 0x4, expected 0x3", run.Verdict.Detail);
        Assert.Equal([3L, 4L], run.Report.Vms.Single().Boots.Select(b => b.Status));
    }

    [Fact]
    public void A_second_boot_that_hangs_is_not_a_pass()
    {
        var run = ScenarioTestSupport.Run(Yaml("{print: TEST PASSED}, {sem_wait: never}"));

        Assert.Equal(Verdict.Hang, run.Verdict.Kind);
        var boots = run.Report.Vms.Single().Boots;
        Assert.Equal(["exit", "hang"], boots.Select(b => b.Kind));
    }
}
