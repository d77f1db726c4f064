using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using Xunit;

namespace H2Sim.Tests.Kernel.Futex;

/// <summary>
/// The VMWORK gate of H2K_futex_lock_pi (trap0 20), cases A/B/C of
/// kernel/futex/futex/test/tests/vmwork (h2-domain.md §5.2, §5.7, §8 R2, §11.8). The lock is held
/// by a peer, so a lock_pi that passes the gate blocks. The gate runs before the word's bit 0 is
/// set, so a gate that fires leaves the lock word untouched.
/// </summary>
public sealed class LockPiVmworkGateTests
{
    private static readonly long Lock = KernelBench.Word(1);

    [Theory]
    [InlineData(KernelVariant.Base, KernelBug.None)]
    [InlineData(KernelVariant.Pr39, KernelBug.None)]
    [InlineData(KernelVariant.Master, KernelBug.None)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe)]
    public void Case_a_returns_minus_one_without_touching_the_lock_in_every_kernel(KernelVariant variant, KernelBug bugs)
    {
        var (bench, owner, me) = Contended(variant, bugs, VmworkGateCase.A);

        bench.Kernel.FutexLockPi(me, Lock);

        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.Equal(-1, me.R00);
        Assert.False(bench.InFutexHash(me));
        Assert.Equal(owner.Id.Raw, bench.Vm.Read(Lock));
        Assert.False(me.Has(VmStatusBits.VmWork));
        bench.Kernel.CheckInvariants();
    }

    [Theory]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.B)]
    [InlineData(KernelVariant.Base, KernelBug.None, VmworkGateCase.C)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.B)]
    [InlineData(KernelVariant.Pr39, KernelBug.None, VmworkGateCase.C)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.B)]
    [InlineData(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, VmworkGateCase.C)]
    public void Cases_b_and_c_block_under_the_vmwork_and_ie_gate(KernelVariant variant, KernelBug bugs, VmworkGateCase gateCase)
    {
        var (bench, owner, me) = Contended(variant, bugs, gateCase);

        bench.Kernel.FutexLockPi(me, Lock);

        Assert.Equal(ContextStatus.Blocked, me.Status);
        Assert.Same(me, bench.Kernel.FutexFirstWaiter(Lock));
        Assert.Equal(owner.Id.Raw | 1, bench.Vm.Read(Lock));
        Assert.True(me.Has(gateCase.Bits()));
        Assert.Equal(2, bench.Vm.NumCpus);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Master_case_b_returns_minus_one_clears_vmwork_and_leaves_the_lock_word()
    {
        var (bench, owner, me) = Contended(KernelVariant.Master, KernelBug.None, VmworkGateCase.B);

        bench.Kernel.FutexLockPi(me, Lock);

        Assert.Equal(ContextStatus.Running, me.Status);
        Assert.Equal(-1, me.R00);
        Assert.False(bench.InFutexHash(me));
        Assert.Equal(owner.Id.Raw, bench.Vm.Read(Lock));
        Assert.Equal(VmStatusBits.None, me.VmStatus);
        bench.Kernel.CheckInvariants();
    }

    [Fact]
    public void Master_case_c_stops_the_thread_before_it_marks_the_lock_contended()
    {
        var (bench, owner, me) = Contended(KernelVariant.Master, KernelBug.None, VmworkGateCase.C);

        bench.Kernel.FutexLockPi(me, Lock);

        Assert.Equal(ContextStatus.Dead, me.Status);
        Assert.True(KernelBench.OnFreeList(me));
        Assert.False(bench.InFutexHash(me));
        Assert.Equal(1, bench.Vm.NumCpus);
        Assert.Equal(owner.Id.Raw, bench.Vm.Read(Lock));
        Assert.Equal(ContextStatus.Running, owner.Status);
        bench.Kernel.CheckInvariants();
    }

    /// <summary>A peer owns the lock (word = its id); me, at the same priority, is about to lock it.</summary>
    private static (KernelBench Bench, ThreadContext Owner, ThreadContext Me) Contended(KernelVariant variant, KernelBug bugs, VmworkGateCase gateCase)
    {
        var bench = new KernelBench(variant, bugs);
        var owner = bench.Running(1);
        bench.Vm.Write(Lock, owner.Id.Raw);
        var me = bench.Running(0);
        me.VmStatus = gateCase.Bits();
        return (bench, owner, me);
    }
}
