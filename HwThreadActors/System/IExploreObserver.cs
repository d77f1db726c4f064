using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// What exploration counts as coverage, seen where it happens (docs/exploration.md): a kill (or
/// [P]'s reap) finding its target in a state, an interrupt arriving at an hthread in a state, and
/// every decided choice point. Reported synchronously, so the contexts may be inspected in the
/// callback; the model does not change because it is observed.
/// </summary>
public interface IExploreObserver
{
    /// <summary>kill_thread_locked ([M]) or reap_one_locked ([P]) found <paramref name="target"/> in <paramref name="state"/>.</summary>
    void OnKill(ClusterRuntime cluster, ThreadContext target, TargetState state, bool reap);

    /// <summary>Interrupt <paramref name="intno"/> reached hthread <paramref name="hthread"/> while it was in <paramref name="state"/>.</summary>
    void OnInterruptArrived(ClusterRuntime cluster, int hthread, int intno, bool killDelivery, TargetState state);

    /// <summary>A choice point decided between <paramref name="count"/> candidates.</summary>
    void OnChoice(ClusterRuntime cluster, ChoiceKind kind, int subject, int count, int index, uint candidate);
}

/// <summary>Where a thread (or the hthread it runs on) is when a kill or an interrupt reaches it.</summary>
public enum TargetState
{
    RunningInGuest,
    SpinningInKernel,
    InKernel,
    Ready,
    Blocked,
    VmWait,
    IntBlocked,
    Dead,
    Idle,
}

public static class TargetStates
{
    public static readonly TargetState[] All = Enum.GetValues<TargetState>();

    /// <summary>The names the coverage report uses (h2-domain.md's states; RUNNING split by where the hthread is).</summary>
    public static string Name(TargetState state) => state switch
    {
        TargetState.RunningInGuest => "RUNNING in guest",
        TargetState.SpinningInKernel => "spinning in kernel",
        TargetState.InKernel => "in kernel",
        TargetState.Ready => "READY",
        TargetState.Blocked => "BLOCKED",
        TargetState.VmWait => "VMWAIT",
        TargetState.IntBlocked => "INTBLOCKED",
        TargetState.Dead => "DEAD",
        _ => "idle",
    };

    /// <summary>An hthread's mode as a target state.</summary>
    public static TargetState OfMode(HThreadMode mode) => mode switch
    {
        HThreadMode.Guest => TargetState.RunningInGuest,
        HThreadMode.Spinning => TargetState.SpinningInKernel,
        HThreadMode.InKernel => TargetState.InKernel,
        _ => TargetState.Idle,
    };

    /// <summary>A context's state; RUNNING says whether its hthread is in the guest, spinning on the BKL or in a section.</summary>
    public static TargetState OfContext(ThreadContext context, ContextStatus status, Kernel kernel) => status switch
    {
        ContextStatus.Running when context.HThread >= 0 && context.HThread < kernel.HThreads => OfMode(kernel.HThreadStates[context.HThread].Mode),
        ContextStatus.Running => TargetState.InKernel,
        ContextStatus.Ready => TargetState.Ready,
        ContextStatus.Blocked => TargetState.Blocked,
        ContextStatus.VmWait => TargetState.VmWait,
        ContextStatus.IntBlocked => TargetState.IntBlocked,
        _ => TargetState.Dead,
    };
}
