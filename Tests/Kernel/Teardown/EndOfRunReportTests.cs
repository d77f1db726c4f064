using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Kernel.Teardown;

/// <summary>
/// The stranded report at quiescence or horizon is complete (architecture.md §9): every live context
/// of every VM — the booter and supervisors included — with what it waits on and who could wake it,
/// each vmblock's num_cpus and freed state, and every interrupt left pending with its steering and
/// why no hthread took it.
/// </summary>
public sealed class EndOfRunReportTests
{
    [Fact]
    public void A_lost_final_childint_on_stuck_in_mutex_names_the_waiting_booter_and_the_drained_child()
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "CHILDINT", Action = "drop", Probability = 1, Source = -1, Target = -1 });
        var scenario = ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.SuiteDirectory, "stuck_in_mutex.yaml"));

        var run = ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master, Faults: plan));

        Assert.Equal(Verdict.Hang, run.Verdict.Kind);
        var booter = Assert.Single(run.Report.Stranded);
        Assert.Equal((1u, 0u, "BLOCKED"), (booter.Vm, booter.Cpuidx, booter.Status));
        Assert.Contains("booter.wake_sig", booter.WaitsOn);
        var child = Assert.Single(run.Report.VmStates, s => s.Name == "test");
        Assert.Equal((0u, false), (child.NumCpus, child.Freed));
    }

    [Fact]
    public void An_interrupt_steered_to_nobody_is_reported_pending_with_why()
    {
        const string Yaml = """
            vms:
              - name: test
                objects: {never: sem}
                threads:
                  main:
                    - intpool_config: {int: 42, enable: 0}
                    - raise_interrupt: 42
                    - spin: 10000
                    - print: TEST PASSED
                    - sem_wait: never
            """;

        var run = ScenarioTestSupport.Run(Yaml, KernelVariant.Base);

        Assert.Equal(Verdict.Hang, run.Verdict.Kind);
        var pending = Assert.Single(run.Report.PendingInterrupts);
        Assert.Equal(42u, pending.InterruptNumber);
        Assert.Contains("steers it to no hthread", pending.WhyNotTaken);
        Assert.Contains(run.Report.Stranded, s => s.Vm == 2 && s.WaitsOn.Contains("never", StringComparison.Ordinal));
        Assert.Contains(run.Report.Stranded, s => s.Vm == 1);
    }

    [Fact]
    public void A_supervisor_waiting_for_a_remote_child_is_listed_with_the_child_it_waits_for()
    {
        const string Yaml = """
            vms:
              - name: supervisor
                threads:
                  main: [take_child_interrupts, wait_children, {print: TEST PASSED}]
              - name: child
                cluster: 1
                parent: supervisor
                objects: {never: sem}
                threads:
                  main: [{sem_wait: never}]
            """;

        var run = ScenarioTestSupport.Run(Yaml, KernelVariant.Master);

        Assert.Equal(Verdict.Hang, run.Verdict.Kind);
        Assert.Contains(run.Report.Stranded, s => s.Cluster == 0 && s.Vm == 2 && s.WaitsOn.Contains("booter.wake_sig", StringComparison.Ordinal));
        Assert.Contains(run.Report.Stranded, s => s.Cluster == 1 && s.Vm == 2 && s.Status == "BLOCKED");
        Assert.Contains(run.Report.VmStates, s => s.Name == "child" && s.NumCpus == 1 && s.Parent == "cluster 0 vm 2");
    }
}
