using H2Sim.Core.Events;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Protocol.Model;

namespace H2Sim.Tests.Support;

/// <summary>
/// A model whose behaviour a test writes: actor i is alone in placement group i, Start and
/// Deliver run the test's delegates, and every delivered event is recorded in delivery order.
/// </summary>
public sealed class ScriptedFactory(uint actorCount, Action<PartitionView, IEventSink>? start = null, Action<SimEvent, IEventSink>? deliver = null)
    : IModelFactory
{
    public List<SimEvent> Delivered { get; } = [];

    private Action<PartitionView, IEventSink>? Start { get; } = start;

    private Action<SimEvent, IEventSink>? Deliver { get; } = deliver;

    public ModelTopology Topology(ModelSpec spec) => new(actorCount, (int)actorCount, actor => (int)actor);

    public ISimModel Create(ModelSpec spec, PartitionView view) => new ScriptedModel(this, view);

    public ModelReport Merge(ModelSpec spec, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles) =>
        new() { OutcomeKind = "ok", EndCycles = endCycles };

    /// <summary>A spec naming this model, with the given lookahead.</summary>
    public static ModelSpec Spec(string name, ulong lookaheadCycles = 100) => new() { Model = name, Seed = 1, LookaheadCycles = lookaheadCycles };

    private sealed class ScriptedModel(ScriptedFactory factory, PartitionView view) : ISimModel
    {
        public bool StopRequested => false;

        public void Start(IEventSink sink) => factory.Dispatch(() => factory.Start?.Invoke(view, sink));

        public void Deliver(in SimEvent ev, IEventSink sink)
        {
            var copy = ev;
            factory.Dispatch(() =>
            {
                factory.Delivered.Add(copy);
                factory.Deliver?.Invoke(copy, sink);
            });
        }

        public ModelReport Finish(RunEndReason reason, ulong endCycles) => new() { OutcomeKind = "ok", EndCycles = endCycles };
    }

    // Partitions of an Akka run call into the factory from several threads.
    private void Dispatch(Action action)
    {
        lock (Delivered)
        {
            action();
        }
    }
}
