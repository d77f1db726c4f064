using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// VM IPI (kernel/vm/vmipi/vmipi.ref.c, h2-domain.md §6.3): send ORs a RUNNING target's hthread
/// into mask_for_ipi, steers VM_IPI_INT to exactly those hthreads and raises it; the handler clears
/// its own bit, re-steers and re-raises for the rest (one IPI fans out), then [M] defers the work to
/// a BKL follow-up section while [B]/[P] run it in place.
/// </summary>
public sealed class VmIpiTests
{
    [Fact]
    public void Send_to_a_context_that_is_not_running_does_nothing()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var ready = bench.Create();
        bench.Effects.Clear();

        bench.Kernel.VmIpiSendWithLock(ready);

        Assert.Equal(0UL, bench.Kernel.MaskForIpi);
        Assert.Empty(bench.Effects.Interrupts);
    }

    [Fact]
    public void Send_steers_the_ipi_to_the_targets_hthread_only()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var target = bench.Running(1);

        bench.Kernel.VmIpiSendWithLock(target);

        Assert.Equal(0b0010UL, bench.Kernel.MaskForIpi);
        Assert.Equal(0b1101UL, bench.Kernel.IAssign[KernelConstants.VmIpiInt]);
        Assert.Equal([1], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
    }

    [Fact]
    public void The_handler_clears_its_bit_and_re_raises_toward_the_remaining_targets()
    {
        var bench = new KernelBench(KernelVariant.Master);
        bench.Kernel.VmIpiSendWithLock(bench.Running(1));
        bench.Kernel.VmIpiSendWithLock(bench.Running(2));
        bench.Effects.Clear();

        bench.Kernel.VmIpiDo(bench.Kernel.Runlist[1], 1);

        Assert.Equal(0b0100UL, bench.Kernel.MaskForIpi);
        Assert.Equal(0b1011UL, bench.Kernel.IAssign[KernelConstants.VmIpiInt]);
        Assert.Equal([2], bench.Effects.InterruptsTo(KernelConstants.VmIpiInt));
        Assert.Equal([2], bench.Kernel.IpiTargets());

        bench.Effects.Clear();
        bench.Kernel.VmIpiDo(bench.Kernel.Runlist[2], 2);

        Assert.Equal(0UL, bench.Kernel.MaskForIpi);
        Assert.Empty(bench.Effects.Interrupts);
    }

    [Theory]
    [InlineData(KernelVariant.Master, true)]
    [InlineData(KernelVariant.Review, true)]
    [InlineData(KernelVariant.Pr39, false)]
    [InlineData(KernelVariant.Base, false)]
    public void Only_the_kill_kernels_defer_the_vm_work_to_a_bkl_follow_up(KernelVariant variant, bool deferred)
    {
        var bench = new KernelBench(variant);
        var me = bench.Running(1);
        bench.Kernel.VmIpiSendWithLock(me);

        bench.Kernel.VmIpiDo(me, 1);

        Assert.Equal(deferred, bench.Kernel.FollowUp is { Kind: EntryKind.Internal, Number: (int)InternalPath.VmIpiWork });
    }

    [Fact]
    public void An_idle_hthread_only_forwards_the_ipi()
    {
        var bench = new KernelBench(KernelVariant.Master);

        bench.Kernel.VmIpiDo(null, 0);

        Assert.Null(bench.Kernel.FollowUp);
        Assert.Empty(bench.Effects.Interrupts);
    }
}
