using H2Sim.KernelActors;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// Bounded exhaustive search for small scenarios: every assignment of the first N contested choice
/// points of a run (N = the bound), depth first, each run forcing a prefix of decisions through
/// Schedule.forced and taking candidate 0 at the unforced ones up to the bound (the seed decides
/// the rest). With state hashing, a choice point whose state fingerprint (kernel, guests, memory,
/// messages in flight) was already reached with at least as much bound left is not branched
/// again: the same state has the same futures. Guest timing runs as written (no jitter): it is not
/// a discrete choice. When the stack is empty the bounded space is covered.
/// </summary>
public sealed class ExhaustiveStrategy(ExploreSettings settings, ModelSpec template) : IExploreStrategy
{
    private readonly Stack<List<ForcedChoice>> pending = new([new List<ForcedChoice>()]);
    private readonly Dictionary<ulong, int> seen = new();

    public string Name => "exhaustive";

    public int Bound => settings.ExhaustiveBound;

    /// <summary>Runs, each one assignment of the bounded choices (a leaf of the choice tree).</summary>
    public int Leaves { get; private set; }

    /// <summary>Choice points not branched because their state had been explored already.</summary>
    public int SkippedRepeats { get; private set; }

    /// <summary>The most contested choices a run made (beyond the bound they come from the seed).</summary>
    public int DeepestRun { get; private set; }

    /// <summary>True once every assignment up to the bound was run or reached an explored state.</summary>
    public bool Covered => pending.Count == 0;

    public RunPlan? Next(int run)
    {
        if (pending.Count == 0)
        {
            return null;
        }

        var prefix = pending.Pop();
        var spec = template.Clone();
        spec.Seed = settings.Seed;
        spec.GuestJitter = null;
        spec.Faults = settings.Faults == FaultMode.Plan ? settings.Plan?.Clone() : null;
        spec.Schedule = new Schedule();
        spec.Schedule.Forced.AddRange(prefix.Select(p => p.Clone()));
        return new RunPlan(spec) { Choices = new FirstCandidate(settings.ExhaustiveBound, prefix.Count), Fingerprints = settings.StateHashing, Tag = prefix.Count };
    }

    public void Learn(RunPlan plan, RunProbe probe, int newItems, bool failed)
    {
        Leaves++;
        var sites = probe.Sites;
        DeepestRun = Math.Max(DeepestRun, sites.Count);
        var depth = Math.Min(settings.ExhaustiveBound, sites.Count);
        var children = new List<List<ForcedChoice>>();
        for (var j = plan.Tag; j < depth; j++)
        {
            var site = sites[j];
            var left = settings.ExhaustiveBound - j;
            if (settings.StateHashing)
            {
                if (seen.TryGetValue(site.Fingerprint, out var explored) && explored >= left)
                {
                    SkippedRepeats++;
                    break;
                }

                seen[site.Fingerprint] = left;
            }

            for (var alternative = 1; alternative < site.Count; alternative++)
            {
                var child = sites.Take(j).Select(Force).ToList();
                child.Add(new ForcedChoice { Cluster = (uint)site.Cluster, Ordinal = site.Ordinal, Index = (uint)alternative });
                children.Add(child);
            }
        }

        // Deepest alternatives first: depth-first order.
        foreach (var child in children)
        {
            pending.Push(child);
        }
    }

    private static ForcedChoice Force(ChoiceSite site) => new() { Cluster = (uint)site.Cluster, Ordinal = site.Ordinal, Index = (uint)site.Index };

    /// <summary>Candidate 0 at every unforced choice within the bound; the seed's draw beyond it.</summary>
    private sealed class FirstCandidate(int bound, int forced) : IChoicePolicy
    {
        private int seen;

        public int Choose(int cluster, ChoiceKind kind, ulong ordinal, ReadOnlySpan<uint> candidates, int drawn) =>
            seen++ + forced < bound ? 0 : drawn;
    }
}
