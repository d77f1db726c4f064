using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Replay;

/// <summary>
/// The model a recorded spec is rebuilt with (replay, minimise, exploration) and the names its
/// actors and messages are shown with. A kernel-model spec carries its scenario text, so it is
/// rebuilt from the log alone; any other model comes from the catalog by name.
/// </summary>
public static class RecordedModels
{
    /// <summary>Rebuilds a recorded run's model; <paramref name="timeline"/> draws the kernel model's timeline.</summary>
    public static Func<ModelSpec, IModelFactory> Resolver(ModelCatalog models, ITimelineSink? timeline = null) => spec =>
    {
        if (spec.Model != "kernel")
        {
            return models.For(spec.Model);
        }

        var definition = new ScenarioModelFactory().Definition(spec);
        definition.Timeline = timeline;
        return new ScenarioModelFactory(definition);
    };

    /// <summary>The model's names for a spec's actors and messages (the one place a model is chosen for naming).</summary>
    public static IMessageNames MessageNames(ModelSpec spec)
    {
        if (spec.Model != "kernel")
        {
            return NumberedMessageNames.Instance;
        }

        try
        {
            return new KernelMessageNames(new ScenarioModelFactory().Definition(spec));
        }
        catch (InputException)
        {
            // A log whose scenario no longer loads still lists its messages, without VM names.
            return new KernelMessageNames(null);
        }
    }
}
