using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// What the kernel model asks of the world outside one cluster's kernel state: messages (IPIs,
/// CHILDINT, notes for the trace), the current virtual time and the timer. Implemented by the
/// system model in HwThreadActors; the kernel never sees partitions or Akka (style.md §4).
/// </summary>
public interface IKernelEffects
{
    ulong NowCycles { get; }

    /// <summary>An interrupt raised with swi: a message from the raising agent to hthread <paramref name="targetHThread"/>.</summary>
    /// <param name="killDelivery">The raise carries a KILL (kill_thread_locked's VM IPI), so fault plans can name it.</param>
    void SendInterrupt(int cluster, int targetHThread, int intno, bool killDelivery = false);

    /// <summary>
    /// CHILDINT from <paramref name="child"/>'s stopping thread to its local parent: a message at this
    /// point of the section, to the parent's vmblock. True when it arrives as sent, so the kernel
    /// posts it now, inside the section (§6.4 step 3); false when a fault dropped or displaced it
    /// (a displaced copy is posted when it arrives, through <see cref="Kernel.ChildIntArrived"/>).
    /// </summary>
    bool SendChildInt(VmBlock child, ThreadId parent);

    /// <summary>A message of the cross-cluster parent/child relationship, over the interconnect.</summary>
    void SendRemote(VmBlock from, int targetCluster, int targetVmidx, RemoteMessage kind, long a, long b, long c);

    /// <summary>The answer to a remote VMOP_STATUS: back to the asking hthread over the interconnect.</summary>
    void SendRemoteReply(int fromVmidx, int targetCluster, int targetHThread, long value);

    /// <summary>A CHILDINT reached parent VM <paramref name="parentVmidx"/>: posted, or its parent context was gone.</summary>
    void ChildIntHandled(int parentVmidx, bool posted);

    /// <summary>A choice point decided between <paramref name="count"/> candidates: a message in the trace.</summary>
    void RecordChoice(ChoiceKind kind, int subject, int count, int index, uint candidate);

    /// <summary>Arms the cluster's hardware timer match for the earliest deadline.</summary>
    void ProgramTimer(int cluster, ulong deadlineCycles);

    /// <summary>A kernel observation that belongs in the trace (PI boost, reap, kill); a message to the vmblock.</summary>
    void Note(int cluster, KernelNote note, VmBlock vm, long a, long b);
}

/// <summary>Kernel observations carried in the trace as messages.</summary>
public enum KernelNote
{
    PrioChanged = 1,
    ContextReaped = 2,
    KillMarked = 3,
    VmFreed = 4,
    InterruptCoalesced = 5,
    ThreadStopped = 6,
}
