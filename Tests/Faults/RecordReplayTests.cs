using H2Sim.Core.Model;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;
using H2Sim.Tests.Kernel;
using H2Sim.Tests.Kernel.Vm;
using Xunit;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Faults;

/// <summary>
/// Record and replay (architecture.md §8): a recorded run replays with the identical hash, also on
/// another partition count; dropping one recorded CHILDINT turns the clean exit into a hang; a
/// truncated or modified log is a clear input error.
/// </summary>
public sealed class RecordReplayTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"h2sim-replay-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string Record(SystemDefinition definition, ModelSpec spec, int partitions, out H2Sim.Core.Run.RunResult result)
    {
        var recorder = new RunRecorder();
        result = H2Sim.Core.Run.InProcessRunner.Run(spec, new H2SystemFactory(definition), partitions, recorder);
        var path = Path.Combine(directory, $"run-{Guid.NewGuid():N}{RunLog.Extension}");
        RunLog.Write(path, new RunManifest { Spec = spec, Seed = spec.Seed, H2SimVersion = "test", ScenarioId = definition.Name, Partitions = (uint)partitions }, recorder.Merged(), result.TraceHash, result.Report.OutcomeKind);
        return path;
    }

    private static FaultPlan SomeFaults()
    {
        var plan = new FaultPlan { CostJitterPercent = 10 };
        plan.Rules.Add(new FaultRule { Kind = "*", Action = "delay", Probability = 0.3, DelayMinCycles = 2_000, DelayMaxCycles = 6_000, Source = -1, Target = -1 });
        return plan;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(4, 1)]
    [InlineData(2, 3)]
    public void A_recorded_run_replays_with_the_identical_hash_on_any_partition_count(int recordedOn, int replayedOn)
    {
        var definition = CrossClusterParentTestsAccess.System();
        var spec = H2Run.Spec(KernelVariant.Master, seed: 17, faults: SomeFaults());
        var path = Record(definition, spec, recordedOn, out var recorded);

        var log = RunLog.Read(path);
        var replay = Replayer.Replay(log, _ => new H2SystemFactory(CrossClusterParentTestsAccess.System()), replayedOn);

        Assert.True(replay.Verified, replay.Divergence?.Message);
        Assert.Equal(recorded.TraceHash, replay.Run!.TraceHash);
        Assert.Equal(recorded.TraceHash, log.End.TraceHash);
        Assert.Equal((int)recorded.Events, log.Events.Count);
    }

    [Fact]
    public void Replay_against_another_program_reports_the_first_differing_message()
    {
        var spec = H2Run.Spec(KernelVariant.Master, seed: 3);
        var path = Record(CrossClusterParentTestsAccess.System(), spec, 1, out _);

        var replay = Replayer.Replay(RunLog.Read(path), _ => new H2SystemFactory(CrossClusterParentTests.BuildSystem(childrenExitThemselves: true)), 1);

        Assert.False(replay.Verified);
        Assert.Contains("replay diverged at recorded message", replay.Divergence!.Message);
        Assert.NotNull(replay.Divergence.Expected);
    }

    [Fact]
    public void Dropping_one_recorded_childint_turns_the_clean_exit_into_a_hang_deterministically()
    {
        static SystemDefinition System() => KernelTestSystems.OneVm(t => [Spin(1_000), Print("TEST PASSED")]);
        var path = Record(System(), H2Run.Spec(KernelVariant.Master, seed: 2), 1, out var clean);
        Assert.Equal("exit", clean.Report.OutcomeKind);
        var log = RunLog.Read(path);
        var childInt = log.Events.Single(e => e.Kind == EventKinds.ChildInt);
        var id = Replayer.ParseMessageId($"{childInt.Source}:{childInt.Sequence}");

        var first = Replayer.WhatIf(log, _ => new H2SystemFactory(System()), 1, [(id, null)]);
        var second = Replayer.WhatIf(log, _ => new H2SystemFactory(System()), 2, [(id, null)]);

        Assert.Equal("hang", first.Report.OutcomeKind);
        Assert.Equal(first.TraceHash, second.TraceHash);
    }

    [Fact]
    public void Dropping_a_recorded_fault_undoes_it_and_the_clean_exit_comes_back()
    {
        static SystemDefinition System() => KernelTestSystems.OneVm(t => [Spin(1_000), Print("TEST PASSED")]);
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "CHILDINT", Action = "drop", Probability = 1, Source = -1, Target = -1 });
        var path = Record(System(), H2Run.Spec(KernelVariant.Master, seed: 2, faults: plan), 1, out var faulty);
        Assert.Equal("hang", faulty.Report.OutcomeKind);
        var log = RunLog.Read(path);
        var note = log.Events.Single(e => e.Kind == H2Sim.Core.Faults.EngineEventKinds.FaultInjected);
        var id = new MessageId { Source = (uint)note.B, Sequence = (ulong)note.C };

        var undone = Replayer.WhatIf(log, _ => new H2SystemFactory(System()), 1, [(id, null)]);
        var delayedInstead = Replayer.WhatIf(log, _ => new H2SystemFactory(System()), 1, [(id, 50_000UL)]);

        Assert.Equal("exit", undone.Report.OutcomeKind);
        Assert.Equal("exit", delayedInstead.Report.OutcomeKind);
        Assert.True(delayedInstead.VirtualCycles > undone.VirtualCycles + 40_000);
    }

    [Fact]
    public void A_truncated_log_and_a_log_with_one_flipped_byte_are_format_errors()
    {
        var path = Record(KernelTestSystems.OneVm(t => [Spin(500)]), H2Run.Spec(KernelVariant.Base), 1, out _);
        var bytes = File.ReadAllBytes(path);

        var truncated = Path.Combine(directory, "truncated.h2log");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        Assert.Contains("truncated", Assert.Throws<RunLogFormatException>(() => RunLog.Read(truncated)).Message);

        var flipped = Path.Combine(directory, "flipped.h2log");
        var copy = (byte[])bytes.Clone();
        copy[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(flipped, copy);
        Assert.Throws<RunLogFormatException>(() => RunLog.Read(flipped));

        Assert.Throws<FileNotFoundException>(() => RunLog.Read(Path.Combine(directory, "missing.h2log")));
    }
}
