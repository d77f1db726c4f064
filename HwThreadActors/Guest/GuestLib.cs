using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// The small guest libraries below pthreads (libs/h2, libs/syscall/angel): sys_exit per kernel, the
/// level-latched anysignal the booter waits on, and trap wrappers. Every routine retries on the
/// spurious -1 where the real library does (the VMWORK gate's contract). Routines are state
/// machines (<see cref="GuestRoutine"/>); the iterator forms are for C# test programs.
/// </summary>
public static class GuestLib
{
    public const long AngelSysExit = 0x18;

    /// <summary>sys_exit(status) as an invoke.</summary>
    public static GuestAction Exit(long status) => Invoke(SysExitRoutine, status);

    /// <summary>sys_exit(status) for a C# iterator program.</summary>
    public static IEnumerable<GuestAction> SysExit(GuestThread t, long status)
    {
        yield return Exit(status);
    }

    /// <summary>
    /// sys_exit(n) (libs/syscall/angel/src/sys_exit.c): [B] n == 0 → the stop hook (pthread_exit),
    /// n ≠ 0 → Angel SYS_EXIT; [P] any n → trap0 7 VM_STOP; [M] VMOP_KILL_VM(SELF, n), then (normally
    /// unreachable: the self-IPI kills the caller first) the hook for n == 0, then Angel. [V] review
    /// separates the two jobs: the pthread library stops all other pthreads (VMOP_KILL_THREAD each,
    /// <see cref="Pthread.PthreadThread.StopAllOthers"/>), then the kernel stops the VM
    /// (VMOP_KILL_VM(SELF, n)), then as [M].
    /// </summary>
    private static GuestAction SysExitRoutine(GuestThread t, ref GuestFrame f)
    {
        var status = f.A0;
        switch (f.Pc)
        {
            case 0:
                t.ReportTeardownRequest();
                if (t.Kernel == KernelVariant.Pr39)
                {
                    return f.Then(9, Trap0(Trap0Numbers.VmStop, status));
                }

                if (t.Kernel == KernelVariant.Review && Pthread.PthreadProcess.IsLinked(t))
                {
                    return f.Then(5, Pthread.PthreadThread.StopAllOthers());
                }

                if (t.Kernel.HasKillInfrastructure())
                {
                    goto case 5;
                }

                goto case 1;
            case 5:
                return f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.KillVm, VmOp.KillVmSelf, status));
            case 1:
                return status == 0 ? f.Then(2, t.StopHook()) : f.Then(9, Trap0(Trap0Numbers.Angel, AngelSysExit, status));
            case 2:
                return f.Then(9, Trap0(Trap0Numbers.Angel, AngelSysExit, status));
            default:
                return Return();
        }
    }

    /// <summary>The default stop hook for programs without the pthread layer: trap0 5 with status 0.</summary>
    public static GuestAction ThreadStop(long status = 0) => Invoke(ThreadStopRoutine, status);

    public static GuestAction ThreadStopRoutine(GuestThread t, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.ThreadStop, f.A0)) : Return();

    /// <summary>h2_anysignal_wait: level-latched; returns at once if a bit is set, else FUTEX_WAIT, retried.</summary>
    public static GuestAction AnySignalWait(long address, long mask) => Invoke(AnySignalWaitRoutine, address, mask);

    private static GuestAction AnySignalWaitRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                f.L0 = t.Load(f.A0);
                return f.Then(1, Spin(t.System.Costs.GuestAtomicCycles));
            case 1 when (f.L0 & f.A1) != 0:
                t.FetchAnd(f.A0, ~(f.L0 & f.A1));
                return Return();
            case 1:
                return f.Then(0, Trap0(Trap0Numbers.FutexWait, f.A0, f.L0));
            default:
                return Return();
        }
    }

    /// <summary>h2_anysignal_set: OR the bits in, wake every waiter.</summary>
    public static GuestAction AnySignalSet(long address, long mask) => Invoke(AnySignalSetRoutine, address, mask);

    private static GuestAction AnySignalSetRoutine(GuestThread t, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                t.FetchOr(f.A0, f.A1);
                return f.Then(1, Spin(t.System.Costs.GuestAtomicCycles));
            case 1:
                return f.Then(2, Trap0(Trap0Numbers.FutexWake, f.A0, 0x7fff));
            default:
                return Return();
        }
    }

    /// <summary>A raw h2_futex_wait: one trap, the result in t.Result (0, or -1 spurious/mismatch).</summary>
    public static GuestAction FutexWait(long address, long expected) => Trap0(Trap0Numbers.FutexWait, address, expected);

    public static GuestAction FutexWake(long address, long count) => Trap0(Trap0Numbers.FutexWake, address, count);

    /// <summary>THREAD_CREATE: pc, sp (8-aligned), arg, prio; the new raw id in t.Result.</summary>
    public static GuestAction ThreadCreate(long pc, long arg, int prio = KernelConstants.DefaultPthreadPrio, long sp = 0x8000) =>
        Trap0(Trap0Numbers.ThreadCreate, pc, sp, arg, prio);
}

/// <summary>trap0 numbers, re-exported for guest code.</summary>
public static class Trap0Numbers
{
    public const int Angel = KernelActors.Data.Trap0.Angel;
    public const int ThreadId = KernelActors.Data.Trap0.ThreadId;
    public const int FutexWait = KernelActors.Data.Trap0.FutexWait;
    public const int FutexWake = KernelActors.Data.Trap0.FutexWake;
    public const int ThreadCreate = KernelActors.Data.Trap0.ThreadCreate;
    public const int ThreadStop = KernelActors.Data.Trap0.ThreadStop;
    public const int VmStop = KernelActors.Data.Trap0.VmStop;
    public const int IntWait = KernelActors.Data.Trap0.IntWait;
    public const int Yield = KernelActors.Data.Trap0.Yield;
    public const int IntpoolConfig = KernelActors.Data.Trap0.IntpoolConfig;
    public const int IntpoolWait = KernelActors.Data.Trap0.IntpoolWait;
    public const int FutexLockPi = KernelActors.Data.Trap0.FutexLockPi;
    public const int FutexUnlockPi = KernelActors.Data.Trap0.FutexUnlockPi;
    public const int TimerOp = KernelActors.Data.Trap0.TimerOp;
    public const int VmOp = KernelActors.Data.Trap0.VmOp;
    public const int Config = KernelActors.Data.Trap0.Config;
}
