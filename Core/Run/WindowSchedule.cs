using H2Sim.Core.Model;

namespace H2Sim.Core.Run;

/// <summary>
/// Decides the next window from what the partitions reported (architecture.md §5): it starts at
/// the earliest pending event anywhere (so empty stretches of time are skipped) and lasts one
/// lookahead, clipped to the horizon. Shared by the Akka coordinator and the in-process runner so
/// both cut time the same way.
/// </summary>
public sealed class WindowSchedule
{
    private readonly ulong lookaheadCycles;
    private readonly ulong horizonCycles;

    public WindowSchedule(ulong lookaheadCycles, ulong horizonCycles)
    {
        if (lookaheadCycles == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lookaheadCycles), "lookahead must be at least one cycle");
        }

        this.lookaheadCycles = lookaheadCycles;
        this.horizonCycles = horizonCycles == 0 ? ulong.MaxValue : horizonCycles;
    }

    /// <summary>The next window, or the reason the run ends.</summary>
    public WindowDecision Next(ulong earliestPendingCycles, bool stopRequested)
    {
        if (stopRequested)
        {
            return WindowDecision.End(RunEndReason.Stopped);
        }

        if (earliestPendingCycles == ulong.MaxValue)
        {
            return WindowDecision.End(RunEndReason.Quiescent);
        }

        if (earliestPendingCycles >= horizonCycles)
        {
            return WindowDecision.End(RunEndReason.Horizon);
        }

        var end = earliestPendingCycles > ulong.MaxValue - lookaheadCycles
            ? ulong.MaxValue
            : earliestPendingCycles + lookaheadCycles;
        return WindowDecision.Window(earliestPendingCycles, Math.Min(end, horizonCycles));
    }
}

public readonly record struct WindowDecision(bool IsEnd, RunEndReason Reason, ulong StartCycles, ulong EndCycles)
{
    public static WindowDecision End(RunEndReason reason) => new(true, reason, 0, 0);

    public static WindowDecision Window(ulong start, ulong end) => new(false, default, start, end);
}
