using H2Sim.Core.Randomness;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// Coverage-guided search: a run that reaches a coverage item no earlier run reached (a race pair
/// in a new order, a kill finding its target in a new state, an interrupt arriving in a new state,
/// a new contested choice) joins the corpus with its decisions; later runs mutate a corpus entry
/// (<see cref="CoveragePolicy"/>: flip a choice, redraw a step, skew a thread's timing) or, one in
/// four, start afresh from a new seed with a random lean per thread.
/// </summary>
public sealed class CoverageStrategy(ExploreSettings settings, ModelSpec template) : IExploreStrategy
{
    private const int MaxCorpus = 256;
    private readonly List<CorpusEntry> corpus = new();
    private DeterministicRandom random = new(settings.Seed, ExploreStreams.CoverageStrategy, RandomPurpose.Explore);

    public string Name => "coverage";

    /// <summary>Runs kept because they reached something new.</summary>
    public int CorpusSize => corpus.Count;

    public RunPlan? Next(int run)
    {
        var seed = random.NextUInt64();
        if (corpus.Count == 0 || random.NextBelow(4) == 0)
        {
            var fresh = CoveragePolicy.Fresh(random.NextUInt64());
            return new RunPlan(ExploreStrategies.Base(settings, template, seed)) { Choices = fresh, Timing = fresh };
        }

        // Newer entries reached the newest items: pick among the last half more often.
        var index = random.NextBelow(2) == 0 ? corpus.Count - 1 - (int)random.NextBelow((ulong)Math.Max(1, corpus.Count / 2)) : (int)random.NextBelow((ulong)corpus.Count);
        var parent = corpus[index];
        var spec = ExploreStrategies.Base(settings, template, parent.Seed);
        var policy = CoveragePolicy.Mutate(parent, random.NextUInt64());
        return new RunPlan(spec) { Choices = policy, Timing = policy };
    }

    public void Learn(RunPlan plan, RunProbe probe, int newItems, bool failed)
    {
        if (newItems == 0)
        {
            return;
        }

        corpus.Add(new CorpusEntry(plan.Spec.Seed, probe.Decisions.Choices.ToList(), probe.Decisions.Steps.ToList()));
        if (corpus.Count > MaxCorpus)
        {
            corpus.RemoveAt(0);
        }
    }
}

/// <summary>A kept run: its seed and the decisions it made (which a mutation starts from).</summary>
public sealed record CorpusEntry(ulong Seed, IReadOnlyList<(ForcedChoice Choice, int Count)> Choices, IReadOnlyList<StepPerturbation> Steps);
