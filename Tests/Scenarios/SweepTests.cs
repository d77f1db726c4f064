using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// Sweeps (h2-domain.md §8 R1): exit_vs_futex_block across blocker_spins. On [P] a hang appears
/// exactly where the exiter's VM_STOP takes the BKL while the blocker is already in the kernel on
/// its way to FUTEX_WAIT (pass 1 skips it as RUNNING; its CLUSTER_RESCHED_INT is still pending when
/// it blocks). On [M] the VMWORK-alone gate catches it: no hang anywhere.
/// </summary>
public sealed class SweepTests
{
    private static Scenario ExitVsFutexBlock() => ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.SuiteDirectory, "exit_vs_futex_block.yaml"));

    [Fact]
    public void Ranges_parse_with_and_without_a_step_and_reject_nonsense()
    {
        Assert.Equal([-3000L, -2950, -2900], SweepRange.Parse("blocker_spins=-3000..-2900:50").Values());
        Assert.Equal([3L, 2, 1], SweepRange.Parse("x=3..1").Values());
        Assert.Throws<InputException>(() => SweepRange.Parse("x=1..5:0"));
        Assert.Throws<InputException>(() => SweepRange.Parse("x=1"));
    }

    [Fact]
    public void On_pr39_every_hang_is_the_exiter_winning_the_bkl_while_the_blocker_spins_toward_futex_wait()
    {
        var sweep = SweepRunner.Run(ExitVsFutexBlock(), SweepRange.Parse("blocker_spins=0..1500:10"), new ScenarioRunOptions(KernelVariant.Pr39));

        var hangs = sweep.Points.Where(p => p.Verdict.Kind == Verdict.Hang).ToList();
        Assert.NotEmpty(hangs);
        Assert.NotEmpty(sweep.Flips);
        Assert.All(hangs, p =>
        {
            Assert.Equal("exiter", p.Race!.Winner);
            Assert.Equal("vm_stop", p.Race.WinnerEntry);
            Assert.Equal("blocker", p.Race.Loser);
            Assert.Equal("futex_wait", p.Race.LoserEntry);
            Assert.True(p.Race.LoserSpunCycles > 0);
        });
        Assert.Contains(sweep.Points, p => p.Verdict.Passed && p.Race!.Winner == "blocker");
    }

    [Fact]
    public void On_master_the_same_range_never_hangs()
    {
        var sweep = SweepRunner.Run(ExitVsFutexBlock(), SweepRange.Parse("blocker_spins=0..1500:10"), new ScenarioRunOptions(KernelVariant.Master));

        Assert.All(sweep.Points, p => Assert.Equal(Verdict.Pass, p.Verdict.Kind));
        Assert.Empty(sweep.Flips);
        Assert.All(sweep.Points, p => Assert.Equal("vmop_kill_vm", p.Race!.Loser == "exiter" ? p.Race.LoserEntry : p.Race.WinnerEntry));
    }
}
