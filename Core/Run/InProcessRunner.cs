using System.Diagnostics;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Trace;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Run;

/// <summary>
/// Runs the windowed algorithm with every partition in this thread, one after another: the
/// library API for tests, notebooks and the suite's many short runs. Same windows, same batches,
/// same digests as the Akka engine in Cluster/, which runs the partitions concurrently as actors.
/// </summary>
public static class InProcessRunner
{
    /// <summary>Runs <paramref name="spec"/>; <paramref name="afterWindow"/>, if given, is told the windows and events so far after each window (benchmarks sample there).</summary>
    public static RunResult Run(ModelSpec spec, IModelFactory factory, int partitionCount = 1, IDeliveryObserver? observer = null, Action<WindowProgress>? afterWindow = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var partitions = new PartitionRuntime[partitionCount];
        var earliest = ulong.MaxValue;
        ulong windows = 0;
        Guarded(-1, 0, () =>
        {
            for (var p = 0; p < partitionCount; p++)
            {
                partitions[p] = new PartitionRuntime(spec, factory, p, partitionCount) { Observer = observer, SendObserver = observer as ISendObserver };
            }

            foreach (var partition in partitions)
            {
                earliest = Math.Min(earliest, Guarded(partition.Partition, 0, partition.Start));
            }

            ExchangeBatches(partitions, 0);
            earliest = Math.Min(earliest, partitions.Min(p => p.NextEventCycles));
        });
        var schedule = new WindowSchedule(spec.LookaheadCycles, spec.HorizonCycles);
        var stop = false;
        RunEndReason reason;
        while (true)
        {
            var decision = schedule.Next(earliest, stop);
            if (decision.IsEnd)
            {
                reason = decision.Reason;
                break;
            }

            WallDeadline.ThrowIfPassed($"window {windows + 1}");
            windows++;
            earliest = ulong.MaxValue;
            foreach (var partition in partitions)
            {
                var result = Guarded(partition.Partition, windows, () => partition.RunWindow(decision.EndCycles));
                earliest = Math.Min(earliest, Math.Min(result.NextEventCycles, result.MinSentCycles));
                stop |= result.StopRequested;
            }

            Guarded(-1, windows, () => ExchangeBatches(partitions, windows));
            afterWindow?.Invoke(new WindowProgress(windows, EventsDelivered(partitions)));
        }

        return Guarded(-1, windows, () =>
        {
            var endCycles = partitions.Max(p => p.NowCycles);
            var reports = partitions.Select(p => Guarded(p.Partition, windows, () => p.Model.Finish(reason, endCycles))).ToList();
            var report = factory.Merge(spec, reports, reason, endCycles);
            var hash = TraceDigest.Combine(partitions.SelectMany(p => p.Digests()));
            var events = EventsDelivered(partitions);
            stopwatch.Stop();
            return new RunResult(hash, events, endCycles, windows, partitionCount, reason, report, stopwatch.Elapsed.TotalSeconds);
        });
    }

    /// <summary>
    /// Runs one step of partition <paramref name="partition"/> (-1: the runner itself) in window
    /// <paramref name="window"/> (0: setup), turning an exception into a <see cref="RunFailedException"/>
    /// that says where. The input's own errors, a replay's divergence and the wall deadline pass as they are.
    /// </summary>
    private static T Guarded<T>(int partition, ulong window, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (!RunFailedException.IsInputError(e) && e is not (RunFailedException or WallTimeoutException or Recording.ReplayDivergenceException))
        {
            var where = (partition >= 0 ? $"partition {partition}, " : string.Empty) + (window == 0 ? "window 0 (setup)" : $"window {window}");
            throw new RunFailedException(RunFailedException.Describe(where, e), e);
        }
    }

    private static ulong EventsDelivered(PartitionRuntime[] partitions)
    {
        var events = 0UL;
        foreach (var partition in partitions)
        {
            events += partition.EventsDelivered;
        }

        return events;
    }

    private static void Guarded(int partition, ulong window, Action step) =>
        Guarded<bool>(partition, window, () =>
        {
            step();
            return true;
        });

    private static void ExchangeBatches(PartitionRuntime[] partitions, ulong window)
    {
        foreach (var source in partitions)
        {
            for (var destination = 0; destination < partitions.Length; destination++)
            {
                if (source.HasBatchFor(destination))
                {
                    partitions[destination].ReceiveBatch(source.TakeBatch(destination, 0, window));
                }
            }
        }
    }
}

/// <summary>Where a run is after a window: windows run and events delivered so far.</summary>
public readonly record struct WindowProgress(ulong Windows, ulong Events);
