namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// The streams exploration draws from, one per user, all under <see cref="Core.Randomness.RandomPurpose.Explore"/>
/// (the number takes the place of an actor id). Fixed numbers: a seed explores the same runs in
/// every version. A strategy's stream picks each run's plan from the exploration seed; a policy's
/// stream decides inside one run from a seed its strategy drew for that run, so the random
/// strategy and PCT's policy can share stream 0.
/// </summary>
public static class ExploreStreams
{
    public const ulong RandomStrategy = 0;

    public const ulong PctPolicy = 0;

    public const ulong PctStrategy = 1;

    public const ulong CoverageStrategy = 2;

    public const ulong CoveragePolicy = 3;
}
