using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Invariants;

/// <summary>
/// The oracle (architecture.md §9): state corrupted on purpose by a test-only hook is reported as
/// a violation naming the invariant, with the time and a message — not an exception trace — in
/// the section that corrupted it, by the full scan and by the incremental checks alike.
/// </summary>
public sealed class CorruptionIsReportedTests
{
    private static IEnumerable<GuestAction> Worker(GuestThread t)
    {
        yield return Spin(10_000);
    }

    private static IEnumerable<GuestAction> MainProgram(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("worker"), 0);
        yield return Spin(2_000);
    }

    private static H2Sim.Core.Run.RunResult RunWith(Action<KernelActors.Kernel> corrupt, CheckMode check = CheckMode.Full)
    {
        var definition = KernelTestSystems.OneVm(MainProgram, extra: d => d.Program("worker", Worker));
        definition.TestKernelHook = kernel => kernel.TestCorruptionHook = corrupt;
        return H2Run.Run(definition, KernelVariant.Master, check: check).Result;
    }

    /// <summary>The cycle at which a corruption is reported with the full scan: the incremental checks must report it in the same section.</summary>
    private static ulong FullScanCycles(Func<Action<KernelActors.Kernel>> corruption) => RunWith(corruption(), CheckMode.Full).Report.ViolationCycles;

    [Theory]
    [InlineData(CheckMode.Full)]
    [InlineData(CheckMode.Incremental)]
    public void Num_cpus_out_of_step_with_live_contexts_is_a_num_cpus_violation(CheckMode check)
    {
        var result = RunWith(NumCpusCorruption(), check);

        Assert.Equal("violation", result.Report.OutcomeKind);
        Assert.Equal("num-cpus", result.Report.ViolationInvariant);
        Assert.Contains("num_cpus = 3 but 2 contexts are live", result.Report.Detail);
        Assert.Equal(FullScanCycles(NumCpusCorruption), result.Report.ViolationCycles);
    }

    private static Action<KernelActors.Kernel> NumCpusCorruption()
    {
        var fired = false;
        return kernel =>
        {
            var vm = kernel.VmBlocks[2];
            if (!fired && vm is { NumCpus: 2 })
            {
                vm.NumCpus = 3;
                fired = true;
            }
        };
    }

    [Theory]
    [InlineData(CheckMode.Full)]
    [InlineData(CheckMode.Incremental)]
    public void A_ready_context_that_is_also_blocked_is_a_membership_violation(CheckMode check)
    {
        var result = RunWith(ReadyMarkedBlocked(), check);

        Assert.Equal("violation", result.Report.OutcomeKind);
        Assert.Equal("membership", result.Report.ViolationInvariant);
        Assert.Contains("BLOCKED but sits in ready", result.Report.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FullScanCycles(ReadyMarkedBlocked), result.Report.ViolationCycles);
    }

    private static Action<KernelActors.Kernel> ReadyMarkedBlocked() =>
        kernel =>
        {
            foreach (var context in kernel.Ready.Where(c => c is not null).Select(c => c!))
            {
                if (context.VmBlock.Vmidx == 2)
                {
                    context.Status = ContextStatus.Blocked;
                    return;
                }
            }
        };

    [Theory]
    [InlineData(CheckMode.Full)]
    [InlineData(CheckMode.Incremental)]
    public void Without_corruption_the_same_program_is_clean(CheckMode check)
    {
        Assert.Equal("exit", RunWith(_ => { }, check).Report.OutcomeKind);
    }
}
