using H2Sim.Cluster.Engine;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Kernel.Races;
using H2Sim.Tests.Support;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Kernel.Determinism;

/// <summary>
/// Determinism of the kernel model (architecture.md §4): the same seed gives the same trace hash
/// for every test program, another seed may not, and a system of several clusters gives the same
/// hash on 1 or 2 partitions, in this thread and on Akka partition actors.
/// </summary>
public sealed class KernelTraceHashTests
{
    public static TheoryData<string, KernelVariant> Programs()
    {
        var data = new TheoryData<string, KernelVariant>();
        foreach (var program in new[] { "blocked-worker", "exit-vs-futex-block", "two-clusters" })
        {
            foreach (var kernel in KernelVariants.All)
            {
                data.Add(program, kernel);
            }
        }

        return data;
    }

    private static SystemDefinition Build(string program) => program switch
    {
        "blocked-worker" => KernelTestSystems.OneVm(BlockedWorkerMain, extra: d => d.Program("worker", KernelTestSystems.BlockForever)),
        "exit-vs-futex-block" => ExitVsFutexBlock.System(2_100),
        _ => TwoClusters(),
    };

    private static IEnumerable<GuestAction> BlockedWorkerMain(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("worker"), 0);
        yield return Spin(3_000);
    }

    /// <summary>v73: 2 clusters of 4 hthreads, a VM on each; the workers contend and yield.</summary>
    private static SystemDefinition TwoClusters()
    {
        var definition = new SystemDefinition(Topology.Preset("v73")) { Name = "two-clusters" };
        definition.Program("main", Yielder);
        definition.Program("yielder", Yielder);
        definition.AddVm("left", "main", cluster: 0);
        definition.AddVm("right", "main", cluster: 1);
        return definition;
    }

    private static IEnumerable<GuestAction> Yielder(GuestThread t)
    {
        if (t.Arg == 0)
        {
            yield return GuestLib.ThreadCreate(t.PcOf("yielder"), 1);
            yield return GuestLib.ThreadCreate(t.PcOf("yielder"), 2);
        }

        for (var i = 0; i < 20; i++)
        {
            yield return Spin((ulong)(100 + (t.Arg * 37)));
            yield return Trap0(Trap0Numbers.Yield);
        }
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Same_seed_gives_the_same_trace_hash(string program, KernelVariant kernel)
    {
        var first = H2Run.Run(Build(program), kernel, seed: 11).Result;
        var second = H2Run.Run(Build(program), kernel, seed: 11).Result;

        Assert.Equal(first.TraceHash, second.TraceHash);
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.Report.OutcomeKind, second.Report.OutcomeKind);
    }

    [Fact]
    public void Two_clusters_give_the_same_hash_on_one_and_two_partitions_in_process_and_on_akka()
    {
        var one = H2Run.Run(TwoClusters(), KernelVariant.Master, seed: 5, partitions: 1).Result;
        var two = H2Run.Run(TwoClusters(), KernelVariant.Master, seed: 5, partitions: 2).Result;
        Assert.Equal("exit", one.Report.OutcomeKind);
        Assert.Equal(2, one.Report.Vms.Count);
        Assert.Equal(one.TraceHash, two.TraceHash);

        var name = $"kernel-test-{Guid.NewGuid():N}";
        TestModels.Catalog.Register(name, new H2SystemFactory(TwoClusters()));
        var spec = H2Run.Spec(KernelVariant.Master, seed: 5);
        spec.Model = name;
        var akkaTwo = AkkaEngine.Run(spec, 2, TestModels.Catalog);
        Assert.Equal(one.TraceHash, akkaTwo.TraceHash);
        Assert.Equal("exit", akkaTwo.Report.OutcomeKind);
    }

    [Fact]
    public void Another_seed_changes_the_bkl_draws_and_so_the_hash()
    {
        var hashes = Enumerable.Range(1, 6).Select(s => H2Run.Run(TwoClusters(), KernelVariant.Master, seed: (ulong)s).Result.TraceHash).ToList();
        Assert.True(hashes.Distinct().Count() > 1);
    }
}
