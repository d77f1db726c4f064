namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Logical actor addresses (architecture.md §3): per cluster c, its hthreads at c·96 + h (h &lt; 16),
/// its vmblock slots at c·96 + 16 + vmidx (vmidx &lt; 64), the device that raises hardware
/// interrupts at c·96 + 80 and the BKL's arbiter at c·96 + 95. The arbiter has the highest
/// address of its cluster on purpose: events of one cycle are delivered in address order, so its
/// arbitration of a cycle runs after every agent that reached the BKL in that cycle has arrived.
/// A cluster is one placement group.
/// </summary>
public static class ActorLayout
{
    public const int PerCluster = 96;
    public const int VmBlockBase = 16;
    public const int DeviceOffset = 80;
    public const int ArbiterOffset = 95;

    public static uint HThread(int cluster, int hthread) => (uint)((cluster * PerCluster) + hthread);

    public static uint VmBlock(int cluster, int vmidx) => (uint)((cluster * PerCluster) + VmBlockBase + vmidx);

    public static uint Device(int cluster) => (uint)((cluster * PerCluster) + DeviceOffset);

    public static uint Arbiter(int cluster) => (uint)((cluster * PerCluster) + ArbiterOffset);

    public static int ClusterOf(uint actor) => (int)(actor / PerCluster);

    public static bool IsHThread(uint actor) => actor % PerCluster < VmBlockBase;

    public static bool IsVmBlock(uint actor) => actor % PerCluster is >= VmBlockBase and < DeviceOffset;

    public static int LocalIndex(uint actor) => (int)(actor % PerCluster);

    public static int VmidxOf(uint actor) => (int)(actor % PerCluster) - VmBlockBase;
}

/// <summary>Event kinds of the kernel model (the `kind` of each message in the trace).</summary>
public static class EventKinds
{
    /// <summary>hthread → itself: a guest spin finished (a = generation).</summary>
    public const int GuestResume = 100;

    /// <summary>agent → itself: a kernel section's cycles elapsed; release the BKL (a = generation, b = held BKL).</summary>
    public const int KernelExit = 101;

    /// <summary>BKL holder → spinner: the BKL is handed over.</summary>
    public const int BklGrant = 102;

    /// <summary>hthread → hthread: interrupt raised with swi (a = interrupt number). RESCHED_INT, CLUSTER_RESCHED_INT, VM_IPI.</summary>
    public const int Interrupt = 103;

    /// <summary>child vmblock → parent vmblock: CHILDINT (a = parent raw id, b = child vmidx, c = status).</summary>
    public const int ChildInt = 104;

    /// <summary>hthread → hthread 0: the cluster's timer match fired.</summary>
    public const int TimerExpiry = 105;

    /// <summary>kernel → vmblock: an observation (a = note kind, b, c).</summary>
    public const int KernelNote = 106;

    /// <summary>Booter → itself: start (the boot VM's first dispatch).</summary>
    public const int Boot = 107;

    /// <summary>agent → the cluster's arbiter: the BKL was free when the agent reached it; decide this cycle's holder.</summary>
    public const int BklArbitrate = 108;

    /// <summary>agent → arbiter: a choice point was decided (ChoiceRecord: what, among how many, which).</summary>
    public const int Choice = 109;

    /// <summary>device → itself: the device raises hardware interrupt a (swi semantics).</summary>
    public const int DeviceRaise = 130;

    /// <summary>hthread → arbiter: a guest step's duration was perturbed (a = context raw id, b = the context's step, c = delta cycles).</summary>
    public const int GuestJitter = 131;

    /// <summary>Cross-cluster parent/child messages over the interconnect: RemoteBase + RemoteMessage.</summary>
    public const int RemoteBase = 110;

    public static string Name(int kind) => kind switch
    {
        GuestResume => "guest-resume",
        KernelExit => "kernel-exit",
        BklGrant => "bkl-grant",
        Interrupt => "interrupt",
        ChildInt => "childint",
        TimerExpiry => "timer",
        KernelNote => "note",
        Boot => "boot",
        BklArbitrate => "bkl-arbitrate",
        Choice => "choice",
        DeviceRaise => "device-raise",
        GuestJitter => "guest-jitter",
        RemoteBase + 1 => "remote-childint",
        RemoteBase + 2 => "remote-kill",
        RemoteBase + 3 => "remote-free",
        RemoteBase + 4 => "parent-gone",
        RemoteBase + 5 => "child-booted",
        RemoteBase + 6 => "remote-status-read",
        RemoteBase + 7 => "remote-status-reply",
        RemoteBase + 8 => "remote-child-exited",
        _ => $"kind-{kind}",
    };
}
