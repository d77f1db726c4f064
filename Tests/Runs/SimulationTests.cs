using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Runs;
using H2Sim.Core.Input;
using H2Sim.Core.Phold;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Runs;

/// <summary>
/// The engine used as a library, the way docs/architecture.md shows it: a catalog of models built
/// by the caller, a <see cref="Simulation"/>, a placement, no command line.
/// </summary>
public sealed class SimulationTests
{
    private static readonly string Spinners = Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "races", "exit1_spinners.yaml");

    private static ModelCatalog KernelAndPhold() => new ModelCatalog()
        .Register("phold", PholdFactory.Instance)
        .Register("kernel", ScenarioModelFactory.FromSpec);

    [Fact]
    public void A_scenario_run_through_the_library_matches_the_in_process_runner()
    {
        var simulation = new Simulation(KernelAndPhold());
        var scenario = ScenarioLoader.LoadFile(Spinners);
        var options = new ScenarioRunOptions(KernelVariant.Master, Seed: 3);

        var done = simulation.RunScenario(scenario, options, new RunPlacement.Embedded { Partitions = 2 }, new ScenarioOutputs());
        var inProcess = ScenarioRunner.Run(scenario, options);

        Assert.Equal("akka", done.Engine);
        Assert.Equal(inProcess.Verdict.Kind, done.Verdict.Kind);
        Assert.Equal(inProcess.Result.TraceHash, done.Run.Result.TraceHash);
        Assert.Equal(2, done.Run.Result.Partitions);
    }

    [Fact]
    public void An_observed_scenario_run_goes_in_process_with_the_same_trace_hash()
    {
        var simulation = new Simulation(KernelAndPhold());
        var scenario = ScenarioLoader.LoadFile(Spinners);
        var options = new ScenarioRunOptions(KernelVariant.Pr39, Seed: 5);
        var seen = new CountingObserver();

        var observed = simulation.RunScenario(scenario, options, new RunPlacement.Embedded { Partitions = 2 }, new ScenarioOutputs(Observer: seen));
        var plain = simulation.RunScenario(scenario, options, new RunPlacement.Embedded { Partitions = 2 }, new ScenarioOutputs());

        Assert.Equal("in-process", observed.Engine);
        Assert.Equal("akka", plain.Engine);
        Assert.Equal(plain.Run.Result.TraceHash, observed.Run.Result.TraceHash);
        Assert.Equal(2, observed.Run.Result.Partitions);
        Assert.Equal(observed.Run.Result.Events, (ulong)seen.Deliveries);
    }

    [Fact]
    public void Listing_the_injected_faults_runs_in_process_and_names_each_fault()
    {
        var simulation = new Simulation(KernelAndPhold());
        var scenario = ScenarioLoader.LoadFile(Spinners);
        var plan = new H2Sim.Protocol.Model.FaultPlan();
        plan.Rules.Add(new H2Sim.Protocol.Model.FaultRule { Kind = "*", Action = "delay", Probability = 1, DelayMinCycles = 7, DelayMaxCycles = 7, Source = -1, Target = -1 });
        var options = new ScenarioRunOptions(KernelVariant.Master, Faults: plan);

        var listed = simulation.RunScenario(scenario, options, new RunPlacement.Embedded(), new ScenarioOutputs { ListFaults = true });
        var unlisted = simulation.RunScenario(scenario, options, new RunPlacement.Embedded(), new ScenarioOutputs());

        Assert.Equal("in-process", listed.Engine);
        Assert.NotNull(listed.InjectedFaults);
        Assert.NotEmpty(listed.InjectedFaults);
        Assert.All(listed.InjectedFaults, f => Assert.Equal("delay", f.Action));
        Assert.Null(unlisted.InjectedFaults);
        Assert.Equal(unlisted.Run.Result.TraceHash, listed.Run.Result.TraceHash);
    }

    [Fact]
    public void A_simulation_knows_only_the_models_it_was_given()
    {
        var phold = new Simulation(new ModelCatalog().Register("phold", PholdFactory.Instance));
        var scenario = ScenarioLoader.LoadFile(Spinners);

        var error = Assert.Throws<InputException>(() =>
            phold.RunScenario(scenario, new ScenarioRunOptions(KernelVariant.Master), new RunPlacement.Embedded(), new ScenarioOutputs()));
        var run = phold.Run(TestPhold.Spec(seed: 2, events: 2_000), new RunPlacement.Embedded());

        Assert.Contains("unknown model 'kernel' (known: phold)", error.Message, StringComparison.Ordinal);
        Assert.True(run.Result.Events >= 2_000);
    }

    [Fact]
    public void A_recorded_run_cannot_be_placed_on_other_nodes()
    {
        var simulation = new Simulation(KernelAndPhold());
        var scenario = ScenarioLoader.LoadFile(Spinners);
        var cluster = new RunPlacement.RunningCluster(new Akka.Actor.Address("akka.tcp", "h2sim", "127.0.0.1", 1), null, "127.0.0.1", TimeSpan.FromSeconds(1));

        var error = Assert.Throws<InputException>(() =>
            simulation.RunScenario(scenario, new ScenarioRunOptions(KernelVariant.Master), cluster, new ScenarioOutputs(Observer: new CountingObserver())));

        Assert.Contains("cannot be placed on other nodes", error.Message, StringComparison.Ordinal);
    }

    private sealed class CountingObserver : H2Sim.Core.Partitioning.IDeliveryObserver
    {
        private long deliveries;

        public long Deliveries => Interlocked.Read(ref deliveries);

        public void OnDelivered(int partition, in H2Sim.Core.Events.SimEvent ev)
        {
            Interlocked.Increment(ref deliveries);
        }
    }
}
