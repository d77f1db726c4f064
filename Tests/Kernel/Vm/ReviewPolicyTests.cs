using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// The review kernel's policies (docs/designs.md), driven by guest programs: refuse-create decides
/// whether a vCPU created while the VM is dying escapes the one-shot kill sweep; on-empty decides
/// who frees the drained VM (the parent's VMOP_FREE, or the kernel in the last stop's section,
/// leaving an exit record the parent reads through VMOP_STATUS); the dying mark ends at
/// num_cpus 0, so a reboot creates again; a parent on another cluster kills its children under
/// both on-empty settings.
/// </summary>
public sealed class ReviewPolicyTests
{
    // main kills its VM while `creator` is about to trap into THREAD_CREATE: at cspin 10680 the
    // creator's trap waits on the BKL during main's VMOP_KILL_VM, so its create runs on a dying VM
    // (found with `h2sim sweep --param cspin=10640..10700:10 --kernel review`).
    private const string CreateDuringKill = """
        params:
          cspin: 10680
        vms:
          - name: test
            objects: {never: word}
            threads:
              main:
                - thread_create: {thread: creator}
                - spin: 10000
                - print: TEST PASSED
                - vmop_kill_vm: {vm: 0, status: 0}
              creator:
                - spin: cspin
                - thread_create: {thread: late}
              late:
                - futex_wait: {word: never, value: 0}
        """;

    [Fact]
    public void Refuse_create_on_refuses_the_vcpu_created_during_the_kill_and_the_vm_drains()
    {
        var run = ScenarioTestSupport.Run(CreateDuringKill, KernelVariant.Review, policies: "refuse-create=on");

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
    }

    [Theory]
    [InlineData(KernelVariant.Review, "refuse-create=off")]
    [InlineData(KernelVariant.Master, null)]
    public void Without_refusal_the_vcpu_created_during_the_kill_escapes_the_sweep_and_the_vm_hangs(KernelVariant kernel, string? policies)
    {
        var run = ScenarioTestSupport.Run(CreateDuringKill, kernel, policies: policies);

        // It was created after kill_vm's loop, with vmstatus 0: nothing marks it, it blocks for ever.
        Assert.Equal(Verdict.Hang, run.Verdict.Kind);
        Assert.Contains(run.Report.Stranded, s => s.Vm == 2 && s.Status == "BLOCKED" && s.WaitsOn.Contains("(never)", StringComparison.Ordinal));
    }

    private const string ExitSeven = """
        vms:
          - name: test
            expect_status: 7
            objects: {never: sem}
            threads:
              main:
                - create: {thread: waiter, id: w}
                - spin: 20000
                - print: TEST PASSED
                - exit: 7
              waiter:
                - sem_wait: never
        """;

    [Theory]
    [InlineData("on-empty=signal-parent", false)]
    [InlineData("on-empty=auto-free", true)]
    public void On_empty_decides_who_frees_the_drained_vm(string policy, bool freedByTheLastStop)
    {
        var notes = new KindObserver(EventKinds.KernelNote);

        var run = ScenarioTestSupport.Run(ExitSeven, KernelVariant.Review, notes, policies: policy);

        Assert.Equal(Verdict.Pass, run.Verdict.Kind);
        Assert.Contains("booter: VM 2 status 0x7", run.Report.Printed);
        var lastStop = notes.Events.Single(e => e.A == (long)KernelNote.ThreadStopped && e.Target == ActorLayout.VmBlock(0, 2) && e.C == 0);
        var freed = notes.Events.Single(e => e.A == (long)KernelNote.VmFreed && e.B == 2);

        // auto-free: the last stop's own section frees it (the same sender, right after its stop
        // note); signal-parent: the booter's VMOP_FREE, after it woke and read the status.
        Assert.Equal(freedByTheLastStop, freed.Source == lastStop.Source && freed.Sequence > lastStop.Sequence && freed.Time - lastStop.Time < 1_000);
        Assert.Equal(!freedByTheLastStop, freed.Time > lastStop.Time + 1_000);
        Assert.True(run.Report.VmStates.Single(v => v.Name == "test").Freed);
    }

    [Theory]
    [InlineData("on-empty=signal-parent")]
    [InlineData("on-empty=auto-free")]
    public void A_killed_vm_boots_again_because_dying_ends_at_num_cpus_zero(string policy)
    {
        var yaml = ExitSeven.Replace("    expect_status: 7", "    expect_status: 7\n    boots: 2", StringComparison.Ordinal);

        var run = ScenarioTestSupport.Run(yaml, KernelVariant.Review, policies: policy);

        Assert.True(Verdict.Pass == run.Verdict.Kind, run.Verdict.Detail);
        Assert.Equal([7L, 7L], run.Report.Vms.Single().Boots.Select(b => b.Status));
    }

    [Theory]
    [InlineData("on-empty=signal-parent")]
    [InlineData("on-empty=auto-free")]
    public void A_parent_on_another_cluster_kills_its_children_and_reads_their_statuses(string policy)
    {
        var yaml = File.ReadAllText(Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "cluster", "cross_cluster_supervisors.yaml"));

        var run = ScenarioTestSupport.Run(yaml, KernelVariant.Review, policies: policy);

        Assert.True(Verdict.Pass == run.Verdict.Kind, run.Verdict.Detail);
        Assert.Contains(run.Report.Printed, p => p.EndsWith("status 0x11", StringComparison.Ordinal));
        Assert.Contains(run.Report.Printed, p => p.EndsWith("status 0x13", StringComparison.Ordinal));
        Assert.All(run.Report.VmStates.Where(v => v.Name is "stuck_sem" or "stuck_mutex" or "worker"), v => Assert.True(v.Freed, v.Name));
    }
}
