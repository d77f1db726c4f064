namespace H2Sim.KernelActors.Data;

/// <summary>Numbers the kernel and the guest libraries agree on (h2-domain.md §1, §10).</summary>
public static class KernelConstants
{
    public const int MaxPrios = 256;
    public const int BestPrio = 0;
    public const int MaxVms = 64;
    public const int BootVmIndex = 1;
    public const int FutexHashSize = 64;
    public const int MaxAsids = 128;
    public const int MaxInterrupts = 512;
    public const int DefaultPthreadPrio = 100;

    // Hardware interrupt numbers (kernel/util/max/max.h).
    public const int VmIpiInt = 0;
    public const int ReschedInt = 1;
    public const int L2CoreInterrupt = 2;
    public const int ClusterReschedInt = 6;

    /// <summary>The cluster's timer match (the model's choice of number; H2 registers its timer handler per platform).</summary>
    public const int TimerInt = 3;

    /// <summary>The interconnect mailbox of the cross-cluster extension (architecture.md §2): not an H2 interrupt.</summary>
    public const int InterconnectInt = 7;

    // Per-vCPU virtual interrupts.
    public const int TimeGuestInt = 12;
    public const int VmChildInt = 14;

    // Status sentinels.
    public const uint ThreadFatalError = 0xaaafa7a1;
    public const uint BaseKillStatus = 0xd1eed1ee;
}

/// <summary>trap0 numbers (h2-domain.md §10).</summary>
public static class Trap0
{
    public const int Angel = 0;
    public const int ThreadId = 1;
    public const int FutexWait = 2;
    public const int FutexWake = 3;
    public const int ThreadCreate = 4;
    public const int ThreadStop = 5;
    public const int VmStop = 7;
    public const int PrioSet = 9;
    public const int PrioGet = 10;
    public const int IntWait = 11;
    public const int Yield = 12;
    public const int IntpoolConfig = 14;
    public const int IntpoolWait = 15;
    public const int GetPcycles = 16;
    public const int FutexLockPi = 20;
    public const int FutexUnlockPi = 21;
    public const int TimerOp = 22;
    public const int VmOp = 28;
    public const int Config = 30;
}

/// <summary>trap1 (VM trap) numbers (h2-domain.md §10).</summary>
public static class Trap1
{
    public const int Return = 1;
    public const int SetVec = 2;
    public const int SetIe = 3;
    public const int GetIe = 4;
    public const int IntOp = 5;
    public const int Wait = 16;
    public const int Yield = 17;
    public const int Start = 18;
    public const int Stop = 19;
    public const int TimerOp = 24;
}

/// <summary>VMOP operation numbers (trap0 28, h2-domain.md §10).</summary>
public static class VmOp
{
    public const int Boot = 0;
    public const int Status = 1;
    public const int Free = 2;
    public const int KillThread = 3;
    public const int KillVm = 4;
    public const int StatusStatus = 0;
    public const int StatusCpus = 1;
    public const int StatusVmidxSelf = 0;
    public const int KillVmSelf = 0;

    /// <summary>VMOP_MAX: 3 in [B]/[P], 5 in [K]/[M].</summary>
    public static int Max(Config.KernelVariant variant) => Config.KernelVariants.HasKillInfrastructure(variant) ? 5 : 3;
}
