using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using Xunit;
using Xunit.Abstractions;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Races;

/// <summary>
/// The historical races of h2-domain.md §8, each reproduced by a guest program with its bug toggle
/// on and clean with it off. The blocker's delay is swept, because which delay loses the race
/// follows from the cost model; what must hold is that some delay loses it with the bug and none
/// does without it.
/// </summary>
public sealed class RaceReproductionTests(ITestOutputHelper output)
{
    private static readonly long[] BlockerDelays = Enumerable.Range(0, 61).Select(i => (long)(1_600 + (i * 20))).ToArray();

    [Fact]
    public void R2_killed_blocker_escapes_the_vmwork_and_ie_gate_and_the_vm_hangs()
    {
        var withBug = BlockerDelays.Select(d => (Delay: d, Run: RunExitVsFutexBlock(KernelVariant.Master, d, KernelBug.VmworkGateNeedsIe))).ToList();
        var hangs = withBug.Where(r => r.Run.Report.OutcomeKind == "hang").ToList();
        output.WriteLine($"hang at blocker delays: {string.Join(", ", hangs.Select(h => h.Delay))}");

        Assert.NotEmpty(hangs);
        foreach (var (_, run) in hangs)
        {
            // The blocker is stranded BLOCKED on the word its kill should have saved it from.
            var stranded = Assert.Single(run.Report.Stranded, s => s.Vm != KernelConstants.BootVmIndex);
            Assert.Equal("BLOCKED", stranded.Status);
            Assert.Contains("(word)", stranded.WaitsOn);
        }

        Assert.All(BlockerDelays, d => Assert.Equal("exit", RunExitVsFutexBlock(KernelVariant.Master, d).Report.OutcomeKind));
    }

    [Fact]
    public void R1_pr39_finalize_without_the_num_cpus_guard_frees_the_vmblock_under_a_running_peer()
    {
        var withBug = BlockerDelays.Select(d => RunExitVsFutexBlock(KernelVariant.Pr39, d, KernelBug.FinalizeNoNumcpusGuard)).ToList();
        var violations = withBug.Where(r => r.Report.OutcomeKind == "violation").ToList();

        Assert.NotEmpty(violations);
        Assert.All(violations, v => Assert.Equal("use-after-free", v.Report.ViolationInvariant));
    }

    [Fact]
    public void R1_pr39_with_the_guard_never_frees_early_but_a_blocker_inside_the_kernel_at_vm_stop_is_stranded()
    {
        // The guard keeps the block alive (no violation). But [P]'s resched gate only sees the context
        // RUNNING when CLUSTER_RESCHED_INT is taken: a blocker already spinning on the BKL commits
        // BLOCKED first, its hthread goes idle, and the interrupt finds me = NULL (§7.2, §8 R1).
        var runs = BlockerDelays.Select(d => (Delay: d, Run: RunExitVsFutexBlock(KernelVariant.Pr39, d))).ToList();
        output.WriteLine(string.Join(" ", runs.Select(r => $"{r.Delay}:{r.Run.Report.OutcomeKind}")));

        Assert.DoesNotContain(runs, r => r.Run.Report.OutcomeKind == "violation");
        Assert.Contains(runs, r => r.Run.Report.OutcomeKind == "exit");
        var hangs = runs.Where(r => r.Run.Report.OutcomeKind == "hang").ToList();
        Assert.NotEmpty(hangs);
        Assert.All(hangs, h =>
        {
            var stranded = Assert.Single(h.Run.Report.Stranded, s => s.Vm != KernelConstants.BootVmIndex);
            Assert.Equal("BLOCKED", stranded.Status);
            Assert.Contains("(word)", stranded.WaitsOn);
        });
    }

    [Fact]
    public void R3_deferred_work_that_relocks_the_bkl_deadlocks_when_a_killed_ready_thread_is_switched_in()
    {
        // main exits while a worker is BLOCKED: KILL_VM cancels the worker's wait (READY); main dies
        // in its VM-IPI handler; dosched switches the worker in and the hook sees KILL.
        var system = KernelTestSystems.OneVm(MainCreatesBlockedWorker, extra: d => d.Program("worker", KernelTestSystems.BlockForever));

        var (buggy, _) = H2Run.Run(system, KernelVariant.Master, KernelBug.DoworkStopRelocksBkl);
        Assert.Equal("deadlock", buggy.Report.OutcomeKind);
        Assert.Contains("re-acquires the BKL", buggy.Report.Detail);

        var (fixedRun, _) = H2Run.Run(KernelTestSystems.OneVm(MainCreatesBlockedWorker, extra: d => d.Program("worker", KernelTestSystems.BlockForever)), KernelVariant.Master);
        Assert.Equal("exit", fixedRun.Report.OutcomeKind);
    }

    [Fact]
    public void R4_kill_vm_that_skips_the_caller_leaves_it_blocked_on_a_lock_held_by_a_killed_sibling()
    {
        // The stop hook models pthread_exit taking pthread_exit_lock (lock_pi) before trap 5. A
        // sibling took that lock and then parked; KILL_VM reaps it while it still "holds" the lock.
        static SystemDefinition System()
        {
            var system = KernelTestSystems.OneVm(MainExitsAfterSiblingHoldsLock, extra: d => d.Program("holder", HolderTakesLockThenParks));
            return system;
        }

        var (buggy, _) = H2Run.Run(System(), KernelVariant.Master, KernelBug.KillvmSkipsCaller);
        Assert.Equal("hang", buggy.Report.OutcomeKind);
        var stranded = Assert.Single(buggy.Report.Stranded, s => s.Vm != KernelConstants.BootVmIndex);
        Assert.Equal("BLOCKED", stranded.Status);
        Assert.Contains("lock_pi", stranded.WaitsOn);
        Assert.Contains("exit_lock", stranded.WaitsOn);

        var (fixedRun, _) = H2Run.Run(System(), KernelVariant.Master);
        Assert.Equal("exit", fixedRun.Report.OutcomeKind);
    }

    private static H2Sim.Core.Run.RunResult RunExitVsFutexBlock(KernelVariant kernel, long blockerSpins, KernelBug bugs = KernelBug.None) =>
        H2Run.Run(ExitVsFutexBlock.System(blockerSpins), kernel, bugs).Result;

    private static IEnumerable<GuestAction> MainCreatesBlockedWorker(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("worker"), 0);
        yield return Spin(5_000);
    }

    private static IEnumerable<GuestAction> MainExitsAfterSiblingHoldsLock(GuestThread t)
    {
        t.ThreadStopHook = PthreadExitTakingTheExitLock;
        yield return GuestLib.ThreadCreate(t.PcOf("holder"), 0);
        while (t.Load(t.Address("holder_ready")) == 0)
        {
            yield return Spin(100);
        }
    }

    private static IEnumerable<GuestAction> HolderTakesLockThenParks(GuestThread t)
    {
        yield return Trap0(Trap0Numbers.FutexLockPi, t.Address("exit_lock"));
        t.Store(t.Address("holder_ready"), 1);
        while (true)
        {
            yield return GuestLib.FutexWait(t.Address("park"), 0);
        }
    }

    /// <summary>A stop hook as a state machine: lock_pi on exit_lock until it is taken, then THREAD_STOP.</summary>
    private static GuestAction PthreadExitTakingTheExitLock(GuestThread t, ref GuestFrame f) => f.Pc switch
    {
        0 => f.Then(1, Trap0(Trap0Numbers.FutexLockPi, t.Address("exit_lock"))),
        1 when t.Result != 0 => f.Then(1, Trap0(Trap0Numbers.FutexLockPi, t.Address("exit_lock"))),
        1 => f.Then(2, Trap0(Trap0Numbers.ThreadStop, 0)),
        _ => Return(),
    };
}
