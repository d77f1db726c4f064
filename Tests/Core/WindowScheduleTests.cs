using H2Sim.Core.Model;
using H2Sim.Core.Run;
using Xunit;

namespace H2Sim.Tests.Core;

public sealed class WindowScheduleTests
{
    [Fact]
    public void Window_starts_at_earliest_pending_event_and_lasts_one_lookahead()
    {
        var decision = new WindowSchedule(100, 0).Next(5_000, stopRequested: false);
        Assert.False(decision.IsEnd);
        Assert.Equal(5_000UL, decision.StartCycles);
        Assert.Equal(5_100UL, decision.EndCycles);
    }

    [Fact]
    public void Window_is_clipped_to_the_horizon_and_ends_at_it()
    {
        var schedule = new WindowSchedule(100, 5_050);
        Assert.Equal(5_050UL, schedule.Next(5_000, false).EndCycles);
        Assert.Equal(RunEndReason.Horizon, schedule.Next(5_050, false).Reason);
    }

    [Fact]
    public void No_pending_event_is_quiescence_and_a_stop_request_wins()
    {
        var schedule = new WindowSchedule(100, 0);
        Assert.Equal(RunEndReason.Quiescent, schedule.Next(ulong.MaxValue, false).Reason);
        Assert.Equal(RunEndReason.Stopped, schedule.Next(10, true).Reason);
    }
}
