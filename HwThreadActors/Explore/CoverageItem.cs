namespace H2Sim.HwThreadActors.Explore;

/// <summary>What exploration counts as coverage (docs/exploration.md), one kind per report section.</summary>
public enum CoverageKind
{
    /// <summary>A choice point decided between two or more candidates: kind, how many, who won.</summary>
    Choice,

    /// <summary>Two contexts contending at one BKL acquisition, in the order they got it.</summary>
    RacePair,

    /// <summary>A kill (or [P]'s reap) finding its target in a state.</summary>
    Kill,

    /// <summary>An interrupt arriving at an hthread in a state.</summary>
    Interrupt,
}

/// <summary>One coverage item: for a matrix, <paramref name="Row"/> × <paramref name="Column"/>; for a race pair, first × second.</summary>
public readonly record struct CoverageItem(CoverageKind Kind, string Row, string Column)
{
    public override string ToString() => Kind switch
    {
        CoverageKind.RacePair => $"{Row} before {Column}",
        CoverageKind.Choice => $"{Row}: {Column}",
        _ => $"{Row} × {Column}",
    };
}
