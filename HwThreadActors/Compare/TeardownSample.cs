using System.Globalization;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// One VM's teardown as a run's report tells it (figures `teardown:C:V:…`, System/TeardownClock):
/// cycles from the first request (exit(), the last pthread_exit, a parent's kill) to the parent
/// seeing the VM drained, and the longest BKL hold on the VM's cluster until it drained. Null
/// parts were not reached (no drain, or no parent saw it).
/// </summary>
public sealed record TeardownSample(int Cluster, int Vmidx, long? LatencyCycles, long? BklHoldMaxCycles)
{
    private const string Prefix = "teardown:";

    /// <summary>Every VM of the report whose teardown was requested, in (cluster, vmidx) order.</summary>
    public static IReadOnlyList<TeardownSample> Of(ModelReport report)
    {
        var requested = new SortedDictionary<(int, int), ulong>();
        var saw = new Dictionary<(int, int), ulong>();
        var bkl = new Dictionary<(int, int), ulong>();
        foreach (var (key, value) in report.Figures)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = key.Split(':');
            var vm = (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            var cycles = ulong.Parse(value, CultureInfo.InvariantCulture);
            switch (parts[3])
            {
                case "requested":
                    requested[vm] = requested.TryGetValue(vm, out var earlier) ? Math.Min(earlier, cycles) : cycles;
                    break;
                case "parent-saw":
                    saw[vm] = cycles;
                    break;
                case "bkl-max":
                    bkl[vm] = cycles;
                    break;
            }
        }

        return requested.Select(r =>
        {
            long? latency = saw.TryGetValue(r.Key, out var s) && s >= r.Value ? (long)(s - r.Value) : null;
            long? hold = bkl.TryGetValue(r.Key, out var b) ? (long)b : null;
            return new TeardownSample(r.Key.Item1, r.Key.Item2, latency, hold);
        }).ToList();
    }
}

/// <summary>Min, median (the lower middle of an even count) and max of a set of cycle counts; Count 0 when empty.</summary>
public sealed record CycleStats(long Min, long Median, long Max, int Count)
{
    public static readonly CycleStats None = new(0, 0, 0, 0);

    public static CycleStats Of(IEnumerable<long> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? None : new CycleStats(sorted[0], sorted[(sorted.Length - 1) / 2], sorted[^1], sorted.Length);
    }
}
