using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Timeline;

/// <summary>The thread context a span or trap belongs to: its VM (slot and name) and cpuidx.</summary>
public sealed record TimelineContext(int Vmidx, string VmName, uint Cpuidx)
{
    /// <summary>H2K_id_t's text form, vmidx:cpuidx, as the run's report and the kernel name contexts.</summary>
    public string Id => $"{Vmidx}:{Cpuidx}";

    public static TimelineContext? Of(ThreadContext? context) =>
        context is null ? null : new TimelineContext(context.VmBlock.Vmidx, context.VmBlock.Name, context.Cpuidx);
}
