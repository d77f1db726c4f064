using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// H2K_vm_ipi_do (kernel/vm/vmipi/vmipi.ref.c, h2-domain.md §6.3): steps 1–2 — ciad, clear my
/// bit in mask_for_ipi, re-steer, re-raise — run when the interrupt is taken, without the BKL;
/// only step 3 ([M]: BKL, H2K_vm_do_work_withlock) waits for it. So the fan-out never stalls
/// while another hthread holds the lock.
/// </summary>
public sealed class VmIpiHandlerTests
{
    [Theory]
    [InlineData(KernelVariant.Base)]
    [InlineData(KernelVariant.Pr39)]
    [InlineData(KernelVariant.Master)]
    public void Taking_the_vm_ipi_needs_no_bkl_and_re_raises_for_the_remaining_hthreads_at_once(KernelVariant variant)
    {
        var bench = new KernelBench(variant);
        var first = bench.Running(0);
        bench.Running(1);
        bench.Kernel.MaskForIpi = 0b11;
        bench.Kernel.Iassignw(KernelConstants.VmIpiInt, ~0b11UL);
        var entry = new KernelEntry(EntryKind.Interrupt, KernelConstants.VmIpiInt);

        Assert.False(bench.Kernel.EntryTakesBkl(entry));
        bench.Kernel.BeginSection(0);
        bench.Kernel.Execute(entry, first, 0);

        Assert.Equal(0b10UL, bench.Kernel.MaskForIpi);
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        var followUp = bench.Kernel.FollowUp;
        if (variant == KernelVariant.Master)
        {
            // Step 3 is a second section of this hthread, and that one takes the BKL.
            Assert.Equal(KernelEntry.Internal(InternalPath.VmIpiWork), followUp);
            Assert.True(bench.Kernel.EntryTakesBkl(followUp!.Value));
        }
        else
        {
            Assert.Null(followUp);
        }
    }

    [Fact]
    public void On_an_idle_hthread_master_runs_no_deferred_work_and_goes_back_to_sleep_under_the_bkl()
    {
        var bench = new KernelBench(KernelVariant.Master);
        bench.Kernel.MaskForIpi = 0b1;

        bench.Kernel.BeginSection(0);
        bench.Kernel.Execute(new KernelEntry(EntryKind.Interrupt, KernelConstants.VmIpiInt), null, 0);

        // H2K_interrupted_waitmode: k0lock, H2K_switch(NULL, NULL).
        Assert.Equal(KernelEntry.Internal(InternalPath.IdleSleep), bench.Kernel.FollowUp);
    }

    private static ScenarioRunResult Spinners(KernelVariant kernel, ulong seed) =>
        ScenarioRunner.Run(ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "races", "exit1_spinners.yaml")), new ScenarioRunOptions(kernel, Seed: seed));

    [Fact]
    public void Master_exit_1_with_two_spinning_threads_drains_with_status_1_on_seeds_1_to_20()
    {
        for (var seed = 1UL; seed <= 20; seed++)
        {
            var run = Spinners(KernelVariant.Master, seed);

            Assert.True(run.Verdict.Passed, $"seed {seed}: {run.Verdict.Kind} {run.Verdict.Detail}");
            Assert.Equal(1, run.Report.Vms.Single().Status);
        }
    }

    [Fact]
    public void Base_exit_1_with_spinning_threads_is_still_an_angel_exit()
    {
        Assert.Equal("angel-exit", Spinners(KernelVariant.Base, 1).Report.OutcomeKind);
    }
}
