using H2Sim.Core.Faults;
using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Trace;
using H2Sim.Tests.Kernel;
using Xunit;
using Xunit.Abstractions;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.Tests.Faults;

/// <summary>
/// Minimisation (architecture.md §8): of many injected faults, exactly one — the dropped VM IPI
/// that carries main's VMOP_KILL_THREAD to the victim — lets the victim survive and strand itself
/// (master with the R2 gate bug, so no gate catches the KILL). main then stops with trap 5, so
/// without that drop the VM drains. ddmin keeps that one fault only.
/// </summary>
public sealed class MinimizeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), $"h2sim-min-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    internal static SystemDefinition System() => KernelTestSystems.OneVm(MainProgram, extra: d =>
    {
        d.Program("victim", Victim);
        d.Program("noise", Noise);
    });

    private static IEnumerable<GuestAction> MainProgram(GuestThread t)
    {
        yield return GuestLib.ThreadCreate(t.PcOf("victim"), 0);
        var victim = t.Result;
        for (var i = 0; i < 24; i++)
        {
            yield return GuestLib.ThreadCreate(t.PcOf("noise"), i);
            yield return Spin(200);
        }

        yield return Spin(20_000);
        yield return Trap0(Trap0Numbers.VmOp, H2Sim.KernelActors.Data.VmOp.KillThread, victim);
        yield return Trap0(Trap0Numbers.ThreadStop, 0);
    }

    private static IEnumerable<GuestAction> Victim(GuestThread t)
    {
        yield return Spin(80_000);
        while (true)
        {
            yield return GuestLib.FutexWait(t.Address("never"), 0);
        }
    }

    private static IEnumerable<GuestAction> Noise(GuestThread t)
    {
        yield return Spin(300);
    }

    [Fact]
    public void Ddmin_reduces_many_injected_faults_to_the_one_dropped_kill_ipi()
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "KILL", Action = "drop", Probability = 1, Source = -1, Target = -1 });
        plan.Rules.Add(new FaultRule { Kind = "*", Action = "delay", Probability = 1, DelayMinCycles = 1, DelayMaxCycles = 30, Source = -1, Target = -1 });
        var spec = H2Run.Spec(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, seed: 5, faults: plan);
        var recorder = new RunRecorder();
        var run = H2Sim.Core.Run.InProcessRunner.Run(spec, new H2SystemFactory(System()), 1, recorder);
        Assert.Equal("hang", run.Report.OutcomeKind);
        var path = Path.Combine(directory, "failing.h2log");
        RunLog.Write(path, new RunManifest { Spec = spec, Seed = 5 }, recorder.Merged(), run.TraceHash, run.Report.OutcomeKind);
        var log = RunLog.Read(path);

        var minimizer = new Minimizer(_ => new H2SystemFactory(System()));
        var result = minimizer.Minimize(log);
        output.WriteLine($"faults {result.FaultsBefore} -> {result.FaultsAfter} in {result.Trials} trials; signature {result.Signature}");

        Assert.True(result.FaultsBefore >= 20, $"only {result.FaultsBefore} faults were injected");
        Assert.Equal(1, result.FaultsAfter);
        var kept = Assert.Single(result.Spec.Faults.Rules);
        Assert.Equal("drop", kept.Action);
        // The dropped message is not in the log; its fault note is, naming the message.
        var killDrop = log.Events.Single(e => e.Kind == EngineEventKinds.FaultInjected && FaultNote.Decode(e.A).Action == FaultAction.Drop);
        Assert.Equal(EventKinds.Interrupt, FaultNote.Decode(killDrop.A).Kind);
        Assert.Equal((uint)killDrop.B, kept.Ids.Single().Source);
        Assert.Equal((ulong)killDrop.C, kept.Ids.Single().Sequence);
        Assert.Equal(result.Signature, FailureSignature.Of(result.Run.Report));
    }

    [Fact]
    public void A_run_that_did_not_fail_cannot_be_minimised()
    {
        var spec = H2Run.Spec(KernelVariant.Master, seed: 5);
        var recorder = new RunRecorder();
        var run = H2Sim.Core.Run.InProcessRunner.Run(spec, new H2SystemFactory(System()), 1, recorder);
        var path = Path.Combine(directory, "clean.h2log");
        RunLog.Write(path, new RunManifest { Spec = spec, Seed = 5 }, recorder.Merged(), run.TraceHash, run.Report.OutcomeKind);

        var error = Assert.Throws<InputException>(() => new Minimizer(_ => new H2SystemFactory(System())).Minimize(RunLog.Read(path)));
        Assert.Contains("did not fail", error.Message);
    }

    [Fact]
    public void When_the_recorded_faults_do_not_reproduce_it_keeps_the_random_plan_and_says_so_with_real_sizes()
    {
        // The failing plan drops every KILL IPI. The log's events come from a run of another plan,
        // whose recorded faults (delays only) cannot fail the run, as a log whose faults do not
        // match its plan would be.
        var failing = new FaultPlan();
        failing.Rules.Add(new FaultRule { Kind = "KILL", Action = "drop", Probability = 1, Source = -1, Target = -1 });
        var spec = H2Run.Spec(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, seed: 5, faults: failing);
        var harmless = new FaultPlan();
        harmless.Rules.Add(new FaultRule { Kind = "*", Action = "delay", Probability = 1, DelayMinCycles = 1, DelayMaxCycles = 2, Source = -1, Target = -1 });
        var recorder = new RunRecorder();
        var other = H2Sim.Core.Run.InProcessRunner.Run(H2Run.Spec(KernelVariant.Master, KernelBug.VmworkGateNeedsIe, seed: 5, faults: harmless), new H2SystemFactory(System()), 1, recorder);
        var path = Path.Combine(directory, "mismatched.h2log");
        RunLog.Write(path, new RunManifest { Spec = spec, Seed = 5 }, recorder.Merged(), other.TraceHash, "hang");

        var result = new Minimizer(_ => new H2SystemFactory(System())).Minimize(RunLog.Read(path));

        Assert.True(result.KeptRandomPlan);
        Assert.True(result.FaultsBefore > 1, $"{result.FaultsBefore} recorded faults");
        Assert.Equal("drop", Assert.Single(result.Spec.Faults.Rules).Action);
        Assert.Empty(result.Spec.Faults.Rules[0].Ids);
        Assert.Equal(1, result.FaultsAfter); // the plan's one KILL drop, counted in the minimised run
        Assert.Equal("hang", result.Run.Report.OutcomeKind);
    }
}
