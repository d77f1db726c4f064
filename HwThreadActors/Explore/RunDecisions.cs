using H2Sim.Core.Events;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// The decisions a run made at its choice points, read from its trace: every choice (cluster,
/// ordinal, index among how many) and every guest-step perturbation. <see cref="Explicit"/> turns
/// them into a plain spec that forces each of them, so a run decided online (PCT) or drawn from a
/// seed replays without its strategy and can be shrunk decision by decision.
/// </summary>
public sealed class RunDecisions : IDecisionReader
{
    private readonly Dictionary<int, ulong> ordinals = new();

    public List<(ForcedChoice Choice, int Count)> Choices { get; } = new();

    public List<StepPerturbation> Steps { get; } = new();

    public void Observe(in SimEvent ev)
    {
        if (ev.Kind == EventKinds.Choice)
        {
            var cluster = ActorLayout.ClusterOf(ev.Target);
            var ordinal = ordinals.GetValueOrDefault(cluster);
            ordinals[cluster] = ordinal + 1;
            var (_, _, count) = ChoiceRecord.Decode(ev.A);
            Choices.Add((new ForcedChoice { Cluster = (uint)cluster, Ordinal = ordinal, Index = (uint)ev.B }, count));
        }
        else if (ev.Kind == EventKinds.GuestJitter)
        {
            var id = new ThreadId((uint)ev.A);
            Steps.Add(new StepPerturbation
            {
                Cluster = (uint)ActorLayout.ClusterOf(ev.Target),
                Vmidx = id.Vmidx,
                Cpuidx = id.Cpuidx,
                Step = (ulong)ev.B,
                DeltaCycles = ev.C,
            });
        }
    }

    /// <summary><paramref name="spec"/> with every decision of this run forced: same run, no strategy needed.</summary>
    public ModelSpec Explicit(ModelSpec spec)
    {
        var copy = spec.Clone();
        copy.Schedule = new Schedule { ChoiceSeed = spec.Schedule?.ChoiceSeed ?? 0 };
        copy.Schedule.Forced.AddRange(Choices.Select(c => c.Choice.Clone()));
        copy.GuestJitter = new GuestJitter { Percent = spec.GuestJitter?.Percent ?? 0, ExplicitOnly = true };
        copy.GuestJitter.Steps.AddRange(Steps.Select(s => s.Clone()));
        return copy;
    }

    /// <summary>A recorded run's decisions, forced (for `minimize` of a log that drew them from a seed or a strategy).</summary>
    public ModelSpec ExplicitSpec(RunLog log)
    {
        var decisions = new RunDecisions();
        foreach (var ev in log.Events)
        {
            decisions.Observe(ev);
        }

        return decisions.Explicit(log.Manifest.Spec);
    }
}
