using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// The 38 × 4 matrix of the upstream pthread suite (seed 1), each cell with the verdict the kernel
/// semantics give and a one-line reason a reviewer can check against the H2 sources without
/// reading h2sim (sections of the domain reference: §6.4 thread stop and the CHILDINT rule, §7.1
/// [B], §7.2 [P], §7.3 [M], §8 the races; the review kernel [V] from docs/designs.md). A cell that
/// changes fails here with its reason.
/// </summary>
public sealed class SuiteMatrixTests
{
    // The ways a VM drains on each kernel.
    private const string BaseDrains = "every thread ends (returns into pthread_exit or is joined) and the last trap 5 takes num_cpus to 0, so CHILDINT wakes the booter (§6.4)";
    private const string Pr39Drains = "return from main is exit(0) = VM_STOP (trap 7): pass 1 reaps every peer that is not RUNNING and the finalizer posts CHILDINT at num_cpus 0 (§7.2)";
    private const string MasterDrains = "return from main is exit(0) = VMOP_KILL_VM(SELF, 0): every live context is marked KILL and dies itself (self-IPI, switch-in hook, gate); the last stop posts CHILDINT (§7.3)";
    private const string ReviewDrains = "return from main is exit(0): the library kills every other pthread (VMOP_KILL_THREAD), then VMOP_KILL_VM(SELF, 0) marks the VM dying and kills the rest; each victim dies itself as on [M], and at num_cpus 0 on-empty=signal-parent posts CHILDINT (docs/designs.md)";
    private const string ReviewExit1 = "exit(1): the other pthreads are killed first (they stop with the status not yet stamped, 0, and num_cpus > 0: no CHILDINT), then VMOP_KILL_VM(SELF, 1) stamps 1 and the last stops carry it; the booter sees cpus 0, status 1 (docs/designs.md)";
    private const string BaseAngel = "exit(1) on [B] is Angel SYS_EXIT: the simulation ends before the booter reads a status (R12); upstream's grep-only harness calls it PASS";
    private const string Pr39Exit1 = "exit(1) = VM_STOP(1): peers are reaped, RUNNING ones self-reap on CLUSTER_RESCHED_INT, and every stop with status 1 posts CHILDINT; the booter sees cpus 0, status 1 (§7.2)";
    private const string MasterExit1 = "exit(1) = VMOP_KILL_VM(SELF, 1): status stamped 1, every context killed (BLOCKED ones futex_cancelled and readied) and stops with status 1 (§7.3)";

    private static string BaseStuck(string who) => $"main's exit(0) on [B] is pthread_exit → trap 5 of main only; {who} stays BLOCKED with no reaper, so num_cpus never reaches 0 and no CHILDINT comes (§7.1)";

    public static TheoryData<string, KernelVariant, string, string> Cells()
    {
        var data = new TheoryData<string, KernelVariant, string, string>();
        void Row(string test, (string Verdict, string Reason) onBase, (string Verdict, string Reason) onPr39, (string Verdict, string Reason) onMaster, (string Verdict, string Reason) onReview)
        {
            data.Add(test, KernelVariant.Base, onBase.Verdict, onBase.Reason);
            data.Add(test, KernelVariant.Pr39, onPr39.Verdict, onPr39.Reason);
            data.Add(test, KernelVariant.Master, onMaster.Verdict, onMaster.Reason);
            data.Add(test, KernelVariant.Review, onReview.Verdict, onReview.Reason);
        }

        void Drains(string test, string why) =>
            Row(test, (Verdict.Pass, $"{why}; {BaseDrains}"), (Verdict.Pass, $"{why}; {Pr39Drains}"), (Verdict.Pass, $"{why}; {MasterDrains}"), (Verdict.Pass, $"{why}; {ReviewDrains}"));

        void Stuck(string test, string who) =>
            Row(test, (Verdict.Hang, BaseStuck(who)), (Verdict.Pass, $"{who} is BLOCKED when main exits: {Pr39Drains}"), (Verdict.Pass, $"{who} is BLOCKED when main exits: {MasterDrains}"), (Verdict.Pass, $"{who} is BLOCKED when main exits and is futex_cancelled by its VMOP_KILL_THREAD: {ReviewDrains}"));

        void Exit1(string test, string who) =>
            Row(test, (Verdict.Fail, BaseAngel), (Verdict.Pass, $"{who}; {Pr39Exit1}"), (Verdict.Pass, $"{who}; {MasterExit1}"), (Verdict.Pass, $"{who}; {ReviewExit1}"));

        // Basic API: every thread is joined or finishes before main returns.
        Drains("attr_roundtrip", "single thread, attributes only");
        Drains("barrier_basic", "four workers pass three rounds and are joined");
        Drains("cond_signal_broadcast", "the four waiters are woken and joined");
        Drains("detach_states", "the detached workers are released and stop themselves (trap 5) while main spins");
        Drains("join_basic", "every worker is joined");
        Drains("join_invalid", "the detached worker is released, the joinable one joined");
        Drains("mutex_recursive", "the secondary gets the PI mutex at the final unlock and is joined");
        Drains("mutex_trylock", "the holder is released and joined");
        Drains("rwlock_readers_writers", "single thread: every rwlock call is the ENOSYS stub");
        Drains("sem_corner", "the three waiters are woken by posts and joined");
        Drains("tls_keys", "the three workers run their destructors in pthread_exit and are joined");
        Drains("stuck_in_rwlock_rd", "single thread: rdlock is the ENOSYS stub, nothing blocks");
        Drains("stuck_in_rwlock_wr", "single thread: wrlock is the ENOSYS stub, nothing blocks");

        // Negative and misuse tests that leave nothing blocked.
        Drains("neg_attr_setstacksize_zero", "single thread");
        Drains("neg_barrier_init_zero", "single thread");
        Drains("neg_create_invalid_routine", "single thread, prints only");
        Drains("neg_mutex_destroy_held", "single thread");
        Drains("neg_mutex_unlock_unowned", "the worker's lock/unlock completes and it is joined");
        Drains("neg_rwlock_unlock_unheld", "single thread, ENOSYS stub");
        Drains("neg_sem_overflow_post", "single thread: posts saturate at 0x7fff");
        Drains("neg_tls_use_after_delete", "single thread");

        // exit(1) teardown, --expect_status 1.
        Exit1("exit1_main_mutex", "the holder is BLOCKED on holder_park, the blocker BLOCKED in lock_pi");
        Exit1("exit1_main_cond_wait", "four waiters BLOCKED in cond_wait");
        Exit1("exit1_worker_cond_wait", "a worker exits while main and three waiters are BLOCKED");
        Exit1("exit1_detached_worker_with_stuck", "a detached worker exits while the holder, the blocker and main are BLOCKED");

        // Blocked threads when main returns.
        Stuck("stuck_in_join", "A (in pthread_join on B's waiters) and B (on a never-posted sem)");
        Stuck("stuck_in_mutex", "the holder (on holder_park) and the blocker (lock_pi on m)");
        Stuck("stuck_in_cond_wait", "every cond_wait waiter");
        Stuck("stuck_in_cond_timedwait", "the worker, parked on its own `joined` after its timedwait returned ETIMEDOUT");
        Stuck("stuck_in_sem_wait", "every sem_wait waiter");
        Stuck("stuck_in_sem_timedwait", "every sem_timedwait waiter (it is sem_wait: no timer is armed)");
        Stuck("stuck_in_barrier", "every barrier waiter (a count-4 barrier reached by three)");
        Stuck("stuck_in_pthread_exit_joined", "the worker parked on its `joined`, never joined");
        Stuck("neg_join_self", "the worker waiting on its own `waiters` (no self-join check)");
        Stuck("neg_cond_wait_no_mutex", "the worker, woken by the broadcast and then parked on its `joined`");

        // pthread_exit from main.
        Row(
            "pthread_exit_main",
            (Verdict.Hang, "the 6th worker's exit(0) on [B] is pthread_exit → trap 5 of itself only; the joinable workers stay BLOCKED on `joined` and main is gone, so num_cpus never reaches 0 (§7.1)"),
            (Verdict.Pass, $"the 6th worker calls exit(0) while the joinables are BLOCKED on `joined`: {Pr39Drains}"),
            (Verdict.Pass, $"the 6th worker calls exit(0) while the joinables are BLOCKED on `joined`: {MasterDrains}"),
            (Verdict.Pass, $"the 6th worker calls exit(0) while the joinables are BLOCKED on `joined`: {ReviewDrains}"));
        Row(
            "pthread_workers_return",
            (Verdict.Hang, "nobody calls exit(): the joinable workers park on `joined` forever and [B] has no reaper (R9, §7.1)"),
            (Verdict.Hang, "only [P]'s all-blocked heuristic can reap the joinables, and it runs only when a thread stops; on seed 1 the last detached worker stops before the last joinable blocks on `joined`, so nothing looks at the VM again (R9, §7.2)"),
            (Verdict.Pass, "alive_count: the last pthread_exit calls VMOP_KILL_VM(SELF, 0), which kills the joinables parked on `joined`, then trap 5 (§7.3, R9)"),
            (Verdict.Pass, "alive_count as [M]: the last pthread_exit ends the process as exit(0) does, killing the joinables parked on `joined` with VMOP_KILL_THREAD, then VMOP_KILL_VM(SELF, 0) (docs/designs.md)"));

        // The race reproducer at its default blocker_spins = 0.
        Row(
            "exit_vs_futex_block",
            (Verdict.Hang, "A's exit(0) on [B] is pthread_exit → trap 5 of A only; main on its sem and B on the futex stay BLOCKED (§7.1)"),
            (Verdict.Pass, "with blocker_spins 0, B is BLOCKED on the futex long before A's VM_STOP: pass 1 reaps it (R1 needs B still RUNNING, from 653 spins)"),
            (Verdict.Pass, "KILL|VMWORK reaches B wherever it is: BLOCKED → futex_cancel and ready; it dies in the switch-in hook (R1 fix, §7.3)"),
            (Verdict.Pass, "A's exit(0) kills B with VMOP_KILL_THREAD (KILL|VMWORK, [M]'s kill_thread_locked) wherever it is, and main too; then VMOP_KILL_VM(SELF) kills A; the VMWORK-alone gate closes R1 as on [M] (docs/designs.md)"));
        return data;
    }

    private static readonly Lazy<SuiteResult> Suite = new(() =>
        SuiteRunner.Run(SuiteRunner.LoadDirectory(ScenarioTestSupport.SuiteDirectory), [KernelVariant.Base, KernelVariant.Pr39, KernelVariant.Master, KernelVariant.Review], k => new ScenarioRunOptions(k)));

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_cell_has_the_verdict_its_kernel_semantics_give(string test, KernelVariant kernel, string verdict, string reason)
    {
        var cell = Suite.Value.At(test, kernel);

        Assert.True(verdict == cell.Verdict.Kind, $"{test} on {kernel}: expected {verdict} because {reason}; got {cell.Verdict.Kind}: {cell.Verdict.Detail}");
    }

    [Fact]
    public void The_table_covers_every_cell_of_the_suite_once()
    {
        var cells = Cells().Select(row => ((string)row[0], (KernelVariant)row[1])).ToList();

        Assert.Equal(152, cells.Count);
        Assert.Equal(cells.Count, cells.Distinct().Count());
        Assert.All(Suite.Value.Entries, e => Assert.Contains((e.Test, e.Kernel), cells));
    }
}
