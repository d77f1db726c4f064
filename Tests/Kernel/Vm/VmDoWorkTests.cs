using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Vm;

/// <summary>
/// The deferred-work handlers (kernel/vm/vmwork/test; h2-domain.md §5.7, §6.2, §8 R3).
/// [M] H2K_vm_do_work_withlock: KILL → stop; VMWORK clear → -1; otherwise clear VMWORK
/// unconditionally and return H2K_vm_check_interrupts, which with IE set takes the lowest
/// pending &amp; enabled interrupt as a guest event (clearing its pending and enabled bits and IE)
/// and with IE clear only peeks. [B]/[P] H2K_vm_do_work clears VMWORK only when IE is set.
/// </summary>
public sealed class VmDoWorkTests
{
    private const int TimeGuestInt = KernelConstants.TimeGuestInt;
    private const ushort TimeGuestBit = 1 << TimeGuestInt;

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Master_do_work_withlock_clears_vmwork_after_every_non_kill_call(bool ie, bool pending)
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = Marked(bench, ie, pending);

        var intno = bench.Kernel.VmDoWorkWithLock(me);

        Assert.False(me.Has(VmStatusBits.VmWork));
        Assert.Equal(pending ? TimeGuestInt : -1, intno);
        Assert.Equal(ContextStatus.Running, me.Status);
    }

    [Fact]
    public void Master_do_work_withlock_with_ie_takes_the_interrupt_as_a_guest_event()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = Marked(bench, ie: true, pending: true);

        bench.Kernel.VmDoWorkWithLock(me);

        Assert.Equal(TimeGuestInt, me.GuestEvent);
        Assert.Equal(0, me.CpuintPending & TimeGuestBit);
        Assert.Equal(0, me.CpuintEnabled & TimeGuestBit);
        Assert.False(me.Has(VmStatusBits.Ie));
    }

    [Fact]
    public void Master_do_work_withlock_with_ie_clear_only_peeks_and_loses_no_work()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = Marked(bench, ie: false, pending: true);

        bench.Kernel.VmDoWorkWithLock(me);

        Assert.Equal(-1, me.GuestEvent);
        Assert.Equal(TimeGuestBit, me.CpuintPending & TimeGuestBit);
        Assert.Equal(TimeGuestBit, me.CpuintEnabled & TimeGuestBit);
        Assert.False(me.Has(VmStatusBits.Ie));
    }

    [Fact]
    public void Master_do_work_withlock_without_vmwork_returns_minus_one_even_with_an_interrupt_pending()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = Marked(bench, ie: true, pending: true);
        me.VmStatus &= ~VmStatusBits.VmWork;

        var intno = bench.Kernel.VmDoWorkWithLock(me);

        Assert.Equal(-1, intno);
        Assert.Equal(-1, me.GuestEvent);
        Assert.True(me.Has(VmStatusBits.Ie));
        Assert.Equal(TimeGuestBit, me.CpuintPending & TimeGuestBit);
    }

    [Theory]
    [InlineData(KernelVariant.Base, false)]
    [InlineData(KernelVariant.Base, true)]
    [InlineData(KernelVariant.Pr39, false)]
    [InlineData(KernelVariant.Pr39, true)]
    public void Base_do_work_clears_vmwork_only_when_ie_is_set(KernelVariant variant, bool ie)
    {
        var bench = new KernelBench(variant);
        var me = Marked(bench, ie, pending: false);

        var intno = bench.Kernel.VmDoWork(me, bklHeld: false);

        Assert.Equal(-1, intno);
        Assert.Equal(!ie, me.Has(VmStatusBits.VmWork));
        Assert.Equal(ContextStatus.Running, me.Status);
    }

    [Fact]
    public void Base_do_work_with_ie_clear_keeps_vmwork_and_peeks_at_the_pending_interrupt()
    {
        var bench = new KernelBench(KernelVariant.Base);
        var me = Marked(bench, ie: false, pending: true);

        var intno = bench.Kernel.VmDoWork(me, bklHeld: false);

        Assert.Equal(TimeGuestInt, intno);
        Assert.True(me.Has(VmStatusBits.VmWork));
        Assert.Equal(-1, me.GuestEvent);
        Assert.Equal(TimeGuestBit, me.CpuintPending & TimeGuestBit);
    }

    [Fact]
    public void Master_do_work_withlock_with_kill_stops_the_thread_with_the_vm_status()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var me = bench.Running(0);
        me.VmStatus = VmStatusBits.Kill | VmStatusBits.VmWork;
        bench.Vm.Status = 4;

        bench.Kernel.VmDoWorkWithLock(me);

        Assert.Equal(ContextStatus.Dead, me.Status);
        Assert.Equal(0, bench.Vm.NumCpus);
        Assert.Equal([(bench.Vm.Vmidx, bench.Booter.Id, 4L)], bench.Effects.ChildInts);
        bench.Kernel.CheckInvariants();
    }

    /// <summary>R3: before the _withlock split, the KILL branch called the locking H2K_thread_stop with the BKL held.</summary>
    [Fact]
    public void With_dowork_stop_relocks_bkl_the_kill_branch_deadlocks_on_the_bkl()
    {
        var bench = new KernelBench(KernelVariant.Master, KernelBug.DoworkStopRelocksBkl);
        var me = bench.Running(0);
        me.VmStatus = VmStatusBits.Kill | VmStatusBits.VmWork;

        Assert.Throws<BklDeadlockException>(() => bench.Kernel.VmDoWorkWithLock(me));
    }

    /// <summary>§5.5: [B]'s vmwait calls H2K_vm_do_work holding the BKL; with KILL set its H2K_thread_stop re-takes it (latent R3).</summary>
    [Fact]
    public void Base_vmwait_with_kill_set_is_the_latent_bkl_re_acquire()
    {
        var bench = new KernelBench(KernelVariant.Base);
        var me = bench.Running(0);
        me.VmStatus = VmStatusBits.Kill | VmStatusBits.VmWork;

        Assert.Throws<BklDeadlockException>(() => bench.Kernel.VmTrapWait(me));
    }

    /// <summary>A RUNNING context with VMWORK (and IE as asked), TIME_GUESTINT enabled and, if asked, pending.</summary>
    private static ThreadContext Marked(KernelBench bench, bool ie, bool pending)
    {
        var me = bench.Running(0);
        me.VmStatus = VmStatusBits.VmWork | (ie ? VmStatusBits.Ie : VmStatusBits.None);
        me.CpuintEnabled = TimeGuestBit;
        me.CpuintPending = pending ? TimeGuestBit : (ushort)0;
        return me;
    }
}
