using H2Sim.Core.Events;

namespace H2Sim.Core.Partitioning;

/// <summary>Fans delivery and send notifications out to several observers (a recorder and a timeline, say).</summary>
public sealed class CompositeObserver(params object?[] observers) : IDeliveryObserver, ISendObserver
{
    private readonly IDeliveryObserver[] delivery = observers.OfType<IDeliveryObserver>().ToArray();
    private readonly ISendObserver[] send = observers.OfType<ISendObserver>().ToArray();

    public static IDeliveryObserver? Of(params object?[] observers)
    {
        var present = observers.Where(o => o is not null).ToArray();
        return present.Length switch
        {
            0 => null,
            1 when present[0] is IDeliveryObserver only && present[0] is not ISendObserver => only,
            _ => new CompositeObserver(present),
        };
    }

    public void OnDelivered(int partition, in SimEvent ev)
    {
        foreach (var observer in delivery)
        {
            observer.OnDelivered(partition, ev);
        }
    }

    public void OnSent(int partition, ulong sendCycles, in SimEvent ev)
    {
        foreach (var observer in send)
        {
            observer.OnSent(partition, sendCycles, ev);
        }
    }
}
