using H2Sim.Core.Randomness;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010; Coyote's PCT strategy) over
/// h2sim's choice points: each run gives every thread a random priority and picks d − 1 priority
/// change points among the run's steps (choices and guest steps), uniformly over the most steps a
/// run has taken so far. See <see cref="PctPolicy"/> for how priorities decide.
/// </summary>
public sealed class PctStrategy(ExploreSettings settings, ModelSpec template) : IExploreStrategy
{
    private DeterministicRandom random = new(settings.Seed, ExploreStreams.PctStrategy, RandomPurpose.Explore);
    private long maxSteps;

    public string Name => "pct";

    public RunPlan? Next(int run)
    {
        var spec = ExploreStrategies.Base(settings, template, random.NextUInt64());
        var policy = new PctPolicy(random.NextUInt64(), settings.PctDepth, maxSteps);
        return new RunPlan(spec) { Choices = policy, Timing = policy, Attach = policy.Attach };
    }

    public void Learn(RunPlan plan, RunProbe probe, int newItems, bool failed) =>
        maxSteps = Math.Max(maxSteps, ((PctPolicy)plan.Choices!).Steps);
}
