using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;

namespace H2Sim.Core.Recording;

/// <summary>
/// Collects every delivered message, per partition in delivery order. <see cref="Merged"/> gives
/// the canonical order used in logs: by time, then target, each target's messages in the order it
/// received them — the same whatever the partition count.
/// </summary>
public sealed class RunRecorder : IDeliveryObserver
{
    private readonly Dictionary<int, List<SimEvent>> byPartition = new();
    private readonly Lock gate = new();
    private readonly IDeliveryObserver? next;

    public RunRecorder(IDeliveryObserver? next = null)
    {
        this.next = next;
    }

    public void OnDelivered(int partition, in SimEvent ev)
    {
        List<SimEvent>? list;
        lock (gate)
        {
            if (!byPartition.TryGetValue(partition, out list))
            {
                list = new List<SimEvent>();
                byPartition[partition] = list;
            }
        }

        list.Add(ev);
        next?.OnDelivered(partition, ev);
    }

    public List<SimEvent> Merged()
    {
        var all = new List<(SimEvent Event, int Partition, int Index)>();
        foreach (var (partition, list) in byPartition)
        {
            for (var i = 0; i < list.Count; i++)
            {
                all.Add((list[i], partition, i));
            }
        }

        // Stable on (time, target): a target's messages all come from one partition, in delivery order.
        return all
            .OrderBy(e => e.Event.Time)
            .ThenBy(e => e.Event.Target)
            .ThenBy(e => e.Partition)
            .ThenBy(e => e.Index)
            .Select(e => e.Event)
            .ToList();
    }
}
