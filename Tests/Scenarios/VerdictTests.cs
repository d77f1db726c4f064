using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Protocol.Model;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// The verdict layer on hand-made run reports: each rule of the upstream harness (a line contains
/// TEST PASSED; no line contains FAIL or ERROR; every VM drained with its status) and each outcome
/// that is not a clean exit has a report that breaks exactly it.
/// </summary>
public sealed class VerdictTests
{
    private static Scenario OneVm(long expectStatus = 0, int boots = 1) => ScenarioLoader.Load(
        $$"""
        vms:
          - name: test
            expect_status: {{expectStatus}}
            boots: {{boots}}
            threads:
              main: [{print: TEST PASSED}]
        """,
        "verdict.yaml");

    private static ModelReport Exited(long status = 0, int boots = 1, params (uint Boot, string Text)[] lines)
    {
        var report = new ModelReport { OutcomeKind = "exit", Detail = "exit" };
        var vm = new VmOutcome { Name = "test", Vm = 2, Kind = "exit", Status = status };
        for (var b = 1u; b <= boots; b++)
        {
            vm.Boots.Add(new BootOutcome { Boot = b, Kind = "exit", Status = status });
        }

        report.Vms.Add(vm);
        foreach (var (boot, text) in lines)
        {
            report.Lines.Add(new PrintedLine { Vm = "test", Boot = boot, Text = text });
            report.Printed.Add($"test: {text}");
        }

        return report;
    }

    [Fact]
    public void A_drained_vm_with_its_status_and_test_passed_is_a_pass()
    {
        Assert.Equal(Verdict.Pass, Verdict.Judge(OneVm(), Exited(lines: (1, "TEST PASSED"))).Kind);
    }

    [Fact]
    public void Test_passed_counts_as_a_substring_of_a_line_as_the_harness_greps_it()
    {
        Assert.Equal(Verdict.Pass, Verdict.Judge(OneVm(), Exited(lines: (1, "worker 6: TEST PASSED (6 of 6)"))).Kind);
        Assert.Equal(Verdict.Fail, Verdict.Judge(OneVm(), Exited(lines: (1, "TEST PASS"))).Kind);
    }

    [Fact]
    public void A_wrong_exit_status_fails_with_both_statuses()
    {
        var verdict = Verdict.Judge(OneVm(expectStatus: 1), Exited(status: 0, lines: (1, "TEST PASSED")));

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains("status 0x0", verdict.Detail);
        Assert.Contains("expected 0x1", verdict.Detail);
    }

    [Theory]
    [InlineData("FAIL: test.yaml:7: check failed")]
    [InlineData("assertion FAILED in worker")]
    [InlineData("ERROR: bad value")]
    public void A_line_containing_fail_or_error_fails_the_test_even_after_test_passed(string line)
    {
        var verdict = Verdict.Judge(OneVm(), Exited(lines: [(1, "TEST PASSED"), (1, line)]));

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains(line, verdict.Detail);
    }

    [Fact]
    public void No_test_passed_is_a_fail_even_when_the_vm_drained()
    {
        var verdict = Verdict.Judge(OneVm(), Exited(lines: (1, "done")));

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains("TEST PASSED was never printed", verdict.Detail);
    }

    [Theory]
    [InlineData("hang", Verdict.Hang)]
    [InlineData("timeout", Verdict.Timeout)]
    [InlineData("deadlock", Verdict.Deadlock)]
    [InlineData("violation", Verdict.Violation)]
    public void A_run_that_did_not_drain_is_judged_by_its_outcome_even_after_test_passed(string outcome, string expected)
    {
        var report = Exited(lines: (1, "TEST PASSED"));
        report.OutcomeKind = outcome;
        report.Detail = "detail of the run";
        report.ViolationInvariant = "leak";
        report.Stranded.Add(new Stranded { Vm = 2, Cpuidx = 30, Status = "BLOCKED", WaitsOn = "futex 0x8001000 (never)", WhoCouldWake = "nobody" });

        var verdict = Verdict.Judge(OneVm(), report);

        Assert.Equal(expected, verdict.Kind);
        Assert.Contains(outcome == "violation" ? "leak" : "detail of the run", verdict.Detail);
        if (outcome is "hang" or "timeout")
        {
            Assert.Contains("cpu 30 BLOCKED on futex 0x8001000 (never)", verdict.Detail);
        }
    }

    [Fact]
    public void An_angel_exit_is_a_fail_because_the_booter_never_saw_a_status()
    {
        var report = Exited(lines: (1, "TEST PASSED"));
        report.OutcomeKind = "angel-exit";
        report.Detail = "test: exit(1) ends the simulation through Angel SYS_EXIT";

        var verdict = Verdict.Judge(OneVm(expectStatus: 1), report);

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains("never saw a status", verdict.Detail);
    }

    [Fact]
    public void Each_boot_must_drain_with_the_expected_status()
    {
        var report = Exited(status: 0, boots: 2, lines: [(1, "TEST PASSED"), (2, "TEST PASSED")]);
        report.Vms[0].Boots[1].Status = 5;

        var verdict = Verdict.Judge(OneVm(boots: 2), report);

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains("on boot 2", verdict.Detail);
    }

    [Fact]
    public void A_vm_that_printed_test_passed_must_print_it_on_every_boot()
    {
        var verdict = Verdict.Judge(OneVm(boots: 2), Exited(boots: 2, lines: (1, "TEST PASSED")));

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains("not on boot 2", verdict.Detail);
        Assert.Equal(Verdict.Pass, Verdict.Judge(OneVm(boots: 2), Exited(boots: 2, lines: [(1, "TEST PASSED"), (2, "TEST PASSED")])).Kind);
    }

    [Fact]
    public void A_vm_whose_later_boot_did_not_drain_is_not_a_pass()
    {
        var report = Exited(boots: 1, lines: (1, "TEST PASSED"));
        report.Vms[0].Kind = "hang";
        report.Vms[0].Boots.Add(new BootOutcome { Boot = 2, Kind = "hang" });

        var verdict = Verdict.Judge(OneVm(boots: 2), report);

        Assert.Equal(Verdict.Fail, verdict.Kind);
        Assert.Contains("did not exit (hang)", verdict.Detail);
    }
}
