namespace H2Sim.HwThreadActors.Timeline;

/// <summary>
/// What an hthread does over time, for the run's timeline (architecture.md §11): guest execution
/// of a context, spinning for the BKL, kernel sections holding it, idle. The runner reports each
/// change of state; tracks are (cluster, hthread), and (cluster, vmblock) for kernel work that a
/// message brings to a vmblock.
/// </summary>
public interface ITimelineSink
{
    /// <summary>
    /// The hthread changes state at <paramref name="cycles"/>; <paramref name="label"/> says to what,
    /// <paramref name="context"/> which thread context it does it for (null: none, e.g. idle).
    /// </summary>
    void OnState(int cluster, int track, ulong cycles, TimelineState state, string label, TimelineContext? context = null);

    /// <summary>A trap taken by the context on the hthread (an instant).</summary>
    void OnTrap(int cluster, int track, ulong cycles, string label, TimelineContext? context = null);
}

public enum TimelineState
{
    Idle,
    Guest,
    BklSpin,
    Kernel,
}
