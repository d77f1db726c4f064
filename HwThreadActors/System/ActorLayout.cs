namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Logical actor addresses (architecture.md §3): per cluster c, its hthreads at c·80 + h (h &lt; 16)
/// and its vmblock slots at c·80 + 16 + vmidx (vmidx &lt; 64). A cluster is one placement group.
/// </summary>
public static class ActorLayout
{
    public const int PerCluster = 80;
    public const int VmBlockBase = 16;

    public static uint HThread(int cluster, int hthread) => (uint)((cluster * PerCluster) + hthread);

    public static uint VmBlock(int cluster, int vmidx) => (uint)((cluster * PerCluster) + VmBlockBase + vmidx);

    public static int ClusterOf(uint actor) => (int)(actor / PerCluster);

    public static bool IsHThread(uint actor) => actor % PerCluster < VmBlockBase;

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
        RemoteBase + 1 => "remote-childint",
        RemoteBase + 2 => "remote-kill",
        RemoteBase + 3 => "remote-free",
        RemoteBase + 4 => "parent-gone",
        RemoteBase + 5 => "child-booted",
        _ => $"kind-{kind}",
    };
}
