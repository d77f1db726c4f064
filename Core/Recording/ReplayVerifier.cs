using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;

namespace H2Sim.Core.Recording;

/// <summary>
/// Checks every delivered message against a log, target by target in delivery order (which does
/// not depend on the partition count), and stops the run at the first divergence.
/// </summary>
public sealed class ReplayVerifier : IDeliveryObserver
{
    private readonly Dictionary<uint, Queue<(SimEvent Event, int Index)>> expected = new();
    private readonly IDeliveryObserver? next;
    private int matched;

    public ReplayVerifier(IReadOnlyList<SimEvent> recorded, IDeliveryObserver? next = null)
    {
        this.next = next;
        for (var i = 0; i < recorded.Count; i++)
        {
            var ev = recorded[i];
            if (!expected.TryGetValue(ev.Target, out var queue))
            {
                queue = new Queue<(SimEvent, int)>();
                expected[ev.Target] = queue;
            }

            queue.Enqueue((ev, i));
        }
    }

    public int Matched => matched;

    public void OnDelivered(int partition, in SimEvent ev)
    {
        if (!expected.TryGetValue(ev.Target, out var queue) || queue.Count == 0)
        {
            throw new ReplayDivergenceException(null, ev, -1);
        }

        var (want, index) = queue.Dequeue();
        if (!want.Equals(ev))
        {
            throw new ReplayDivergenceException(want, ev, index);
        }

        matched++;
        next?.OnDelivered(partition, ev);
    }

    /// <summary>The first recorded message the replay never delivered, if any.</summary>
    public (SimEvent Event, int Index)? FirstUndelivered() =>
        expected.Values.Where(q => q.Count > 0).Select(q => q.Peek()).OrderBy(e => e.Index).Cast<(SimEvent, int)?>().FirstOrDefault();
}

/// <summary>The replay delivered something other than the log says.</summary>
public sealed class ReplayDivergenceException(SimEvent? expected, SimEvent? actual, int index)
    : Exception($"replay diverged at recorded message {index}: expected {expected?.ToString() ?? "nothing"}, got {actual?.ToString() ?? "nothing"}")
{
    public SimEvent? Expected { get; } = expected;

    public SimEvent? Actual { get; } = actual;

    public int Index { get; } = index;
}
