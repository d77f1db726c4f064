using H2Sim.Protocol.Window;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// The done reports of one window, as they come in. Every partition and the coordinator keep
/// one per window and read the same figures from the same reports — the earliest pending event,
/// whether the model asked to stop, how many batches each partition must receive — so each
/// reaches the same decision about the next window (<see cref="H2Sim.Core.Run.WindowSchedule"/>)
/// without asking anyone.
/// </summary>
public sealed class WindowTally(int partitionCount)
{
    private readonly WindowDone?[] reports = new WindowDone?[partitionCount];
    private int reported;

    /// <summary>True once every partition has reported this window.</summary>
    public bool Complete => reported == reports.Length;

    /// <summary>Earliest event pending anywhere after this window (queued or sent); <see cref="ulong.MaxValue"/> when none.</summary>
    public ulong EarliestPendingCycles { get; private set; } = ulong.MaxValue;

    /// <summary>Latest event any partition has delivered so far.</summary>
    public ulong LastEventCycles { get; private set; }

    public bool StopRequested { get; private set; }

    /// <summary>Events the partitions delivered in the window(s) these reports cover.</summary>
    public ulong EventsDelivered { get; private set; }

    /// <summary>Records one partition's report; a second report from the same partition is ignored.</summary>
    public void Add(WindowDone done)
    {
        if (done.Partition >= reports.Length || reports[done.Partition] is not null)
        {
            return;
        }

        reports[done.Partition] = done;
        reported++;
        EarliestPendingCycles = Math.Min(EarliestPendingCycles, Math.Min(done.NextEventCycles, done.MinSentCycles));
        LastEventCycles = Math.Max(LastEventCycles, done.LastEventCycles);
        StopRequested |= done.StopRequested;
        EventsDelivered += done.EventsDelivered;
    }

    public bool HasReported(int partition) => reports[partition] is not null;

    /// <summary>Batches sent to <paramref name="destination"/> in this window: what it waits for before the next.</summary>
    public uint BatchesFor(int destination)
    {
        uint total = 0;
        foreach (var report in reports)
        {
            if (report is not null && destination < report.BatchesSent.Count)
            {
                total += report.BatchesSent[destination];
            }
        }

        return total;
    }
}
