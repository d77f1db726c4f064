using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// The review kernel's VM kill (docs/designs.md), driven by guest programs: VMOP_KILL_VM marks the
/// VM dying and reaches a vCPU in each state through [M]'s kill_thread_locked, each victim dies
/// itself and the VM drains with the stamped status; the intpool waiter meets [M]'s popup_cancel
/// (R7, inherited); exit() is the library's VMOP_KILL_THREAD per other pthread, then the kernel's
/// VMOP_KILL_VM(SELF).
/// </summary>
public sealed class ReviewKillVmTests
{
    /// <summary>main parks one raw thread in the state under test, settles, then kills its own VM with status 7.</summary>
    private static string StateYaml(string victims, string body) => $$"""
        vms:
          - name: test
            expect_status: 7
            objects: {never: word}
            threads:
              main:
        {{victims}}
                - spin: 200000
                - print: TEST PASSED
                - vmop_kill_vm: {vm: 0, status: 7}
              victim:
        {{body}}
        """;

    public static TheoryData<string, string, string, int> States() => new()
    {
        { "blocked", "        - thread_create: {thread: victim}", "        - futex_wait: {word: never, value: 0}", (int)ContextStatus.Blocked },
        { "popup", "        - thread_create: {thread: victim}", "        - popup_wait: 20", (int)ContextStatus.IntBlocked },
        { "vmwait", "        - thread_create: {thread: victim}", "        - vmwait", (int)ContextStatus.VmWait },
        { "running", "        - thread_create: {thread: victim}", "        - forever: [{spin: 500}, yield]", (int)ContextStatus.Running },
        { "ready", string.Join('\n', Enumerable.Repeat("        - thread_create: {thread: victim}", 5)), "        - forever: [{spin: 500}, yield]", (int)ContextStatus.Ready },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Kill_vm_reaches_a_vcpu_in_each_state_and_the_vm_drains_with_the_stamped_status(string state, string victims, string body, int status)
    {
        var notes = new KindObserver(EventKinds.KernelNote);

        var run = ScenarioTestSupport.Run(StateYaml(victims, body), KernelVariant.Review, notes);

        Assert.True(Verdict.Pass == run.Verdict.Kind, $"{state}: {run.Verdict.Detail}");
        Assert.Equal(7, run.Report.Vms.Single().Status);
        Assert.Contains(notes.Events, e => e.A == (long)KernelNote.KillMarked && e.C == status);
        Assert.True(run.Report.VmStates.Single(v => v.Name == "test").Freed);
    }

    [Theory]
    [InlineData(KernelVariant.Master)]
    [InlineData(KernelVariant.Review)]
    public void Killing_an_intpool_waiter_popup_cancels_it_as_master_does(KernelVariant kernel)
    {
        var yaml = StateYaml("        - intpool_config: {int: 40}\n        - thread_create: {thread: victim}", "        - intpool_wait");

        var run = ScenarioTestSupport.Run(yaml, kernel);

        // R7: kill_thread_locked calls popup_cancel for any INTBLOCKED context; an intpool waiter's r00 is -1.
        Assert.Equal(Verdict.Violation, run.Verdict.Kind);
        Assert.Equal("inthandlers-bounds", run.Report.ViolationInvariant);
    }

    [Theory]
    [InlineData(KernelVariant.Master, 0)]
    [InlineData(KernelVariant.Review, 4)]
    public void Exit_kills_every_other_pthread_with_kill_thread_before_the_vm_kill(KernelVariant kernel, int killThreads)
    {
        var traps = new List<string>();
        var yaml = File.ReadAllText(Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_cond_wait.yaml"));

        var run = ScenarioTestSupport.Run(yaml, kernel, bklObserver: a =>
        {
            if (a.Entry.Kind == EntryKind.Trap0 && a.Entry.Number == Trap0.VmOp && a.Entry.A0 is VmOp.KillThread or VmOp.KillVm)
            {
                traps.Add(a.Entry.A0 == VmOp.KillThread ? "kill_thread" : "kill_vm");
            }
        });

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.Equal([.. Enumerable.Repeat("kill_thread", killThreads), "kill_vm"], traps);
    }
}
