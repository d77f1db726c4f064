using H2Sim.Cluster.Engine;
using H2Sim.Protocol.Window;
using Xunit;

namespace H2Sim.Tests.Engine;

/// <summary>
/// What every partition and the coordinator read from one window's reports: they must read the
/// same figures, or they would cut time differently.
/// </summary>
public sealed class WindowTallyTests
{
    [Fact]
    public void It_is_complete_only_when_every_partition_has_reported_once()
    {
        var tally = new WindowTally(3);
        tally.Add(Report(partition: 0, next: 500, minSent: ulong.MaxValue, batches: [0, 1, 0]));
        tally.Add(Report(partition: 0, next: 100, minSent: 100, batches: [0, 9, 9]));
        tally.Add(Report(partition: 2, next: 700, minSent: ulong.MaxValue, batches: [0, 0, 0]));

        Assert.False(tally.Complete);
        Assert.Equal([true, false, true], Enumerable.Range(0, 3).Select(tally.HasReported));

        tally.Add(Report(partition: 1, next: 900, minSent: 650, batches: [2, 0, 1]));
        Assert.True(tally.Complete);

        // The repeated report of partition 0 counted for nothing.
        Assert.Equal(500UL, tally.EarliestPendingCycles);
        Assert.Equal([2u, 1u, 1u], Enumerable.Range(0, 3).Select(tally.BatchesFor));
    }

    [Fact]
    public void Nothing_pending_anywhere_reads_as_the_maximum_time_and_one_stop_request_stops_all()
    {
        var tally = new WindowTally(2);
        tally.Add(Report(partition: 0, next: ulong.MaxValue, minSent: ulong.MaxValue, batches: [0, 0], last: 40));
        tally.Add(Report(partition: 1, next: ulong.MaxValue, minSent: ulong.MaxValue, batches: [0, 0], last: 75, stop: true));

        Assert.Equal(ulong.MaxValue, tally.EarliestPendingCycles);
        Assert.Equal(75UL, tally.LastEventCycles);
        Assert.True(tally.StopRequested);
    }

    private static WindowDone Report(uint partition, ulong next, ulong minSent, uint[] batches, ulong last = 0, bool stop = false)
    {
        var done = new WindowDone
        {
            Window = 4,
            Partition = partition,
            NextEventCycles = next,
            MinSentCycles = minSent,
            LastEventCycles = last,
            StopRequested = stop,
        };
        done.BatchesSent.AddRange(batches);
        return done;
    }
}
