namespace H2Sim.KernelActors;

/// <summary>
/// Decides a choice point in place of the seeded stream, for exploration strategies that decide
/// online (PCT's priorities). The kernel model does not know which strategy is behind it; a run
/// with a policy is saved as the forced choices it made, so it replays without one.
/// </summary>
public interface IChoicePolicy
{
    /// <summary>The index of the chosen candidate; <paramref name="drawn"/> is what the stream drew.</summary>
    int Choose(int cluster, ChoiceKind kind, ulong ordinal, ReadOnlySpan<uint> candidates, int drawn);
}
