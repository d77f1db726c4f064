using H2Sim.KernelActors;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using H2Sim.Tests.Kernel.Support;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Data;

/// <summary>
/// Where the C code gives a width or an exact expression, the model computes it literally,
/// overflow included: vmwait's 32-bit shift into waiting_cpus (kernel/vm/vmfuncs/vmfuncs.ref.c),
/// FUTEX_HASHVAL (kernel/futex/futex_common/futex_common.h), and the s32 vmblock status.
/// </summary>
public sealed class LiteralWidthTests
{
    [Theory]
    [InlineData(0u, 0x1UL)]
    [InlineData(30u, 0x4000_0000UL)]
    [InlineData(31u, 0xFFFF_FFFF_8000_0000UL)] // (int)(1 << 31) is negative and sign-extends
    [InlineData(32u, 0UL)] // Hexagon's register shift by 32 or more gives 0
    [InlineData(63u, 0UL)]
    public void Vmwait_sets_waiting_cpus_with_an_int_shift(uint cpuidx, ulong mask)
    {
        Assert.Equal(mask, KernelActors.Kernel.Int32ShiftMask(cpuidx));
    }

    [Fact]
    public void A_vcpu_above_31_entering_vmwait_sets_no_waiting_bit()
    {
        var bench = new KernelBench(KernelVariant.Master);
        var big = bench.NewVm("big", bench.Booter, maxCpus: 48);

        // The first contexts created get the highest cpuidx (LIFO free list): 47.
        var context = bench.Running(0, big);
        Assert.Equal(47u, context.Cpuidx);
        bench.Kernel.VmTrapWait(context);

        Assert.Equal(ContextStatus.VmWait, context.Status);
        Assert.Equal(0UL, big.WaitingCpus);
    }

    [Fact]
    public void The_futex_hash_is_the_top_six_bits_of_the_32_bit_product_of_pa_over_4()
    {
        const long Pa = 0x0800_1238;
        var expected = (int)(unchecked((uint)(Pa >> 2) * 2654435761u) >> 26);

        Assert.Equal(expected, KernelActors.Kernel.FutexBucket(Pa));
    }

    [Fact]
    public void A_pa_whose_high_bits_push_the_hash_past_the_table_is_reported()
    {
        var violation = Assert.Throws<KernelInvariantException>(() => KernelActors.Kernel.FutexBucket(1L << 40));

        Assert.Equal("futex-hash-bounds", violation.Invariant);
    }

    [Fact]
    public void Guest_memory_lies_below_2_to_the_32_so_every_futex_hashes_in_range()
    {
        Assert.Equal(1L << 32, KernelConstants.MaxVms * VmBlock.MemoryBytesPerSlot);
        Assert.InRange(KernelActors.Kernel.FutexBucket(VmBlock.MemoryBase(KernelConstants.MaxVms - 1) + VmBlock.MemoryBytesPerSlot - 8), 0, 63);
    }

    [Fact]
    public void An_exit_status_is_s32_as_the_vmblock_stores_it()
    {
        const string Yaml = """
            vms:
              - name: test
                expect_status: 1
                threads:
                  main: [{print: TEST PASSED}, {exit: 0x100000001}]
            """;

        var run = ScenarioTestSupport.Run(Yaml, KernelVariant.Master);

        Assert.Equal("PASS", run.Verdict.Kind);
        Assert.Equal(1, run.Report.Vms.Single().Status);
    }
}
