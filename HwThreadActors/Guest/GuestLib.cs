using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// The small guest libraries below pthreads (libs/h2, libs/syscall/angel; h2-domain.md §6.5, §7,
/// §9): sys_exit per kernel, the level-latched anysignal the booter waits on, and trap wrappers.
/// Every routine retries on the spurious -1 where the real library does (§5.7).
/// </summary>
public static class GuestLib
{
    public const long AngelSysExit = 0x18;

    /// <summary>
    /// sys_exit(n) (libs/syscall/angel/src/sys_exit.c): [B] n == 0 → the stop hook (pthread_exit),
    /// n ≠ 0 → Angel SYS_EXIT; [P] any n → trap0 7 VM_STOP; [M] VMOP_KILL_VM(SELF, n), then (normally
    /// unreachable: the self-IPI kills the caller first) the hook for n == 0, then Angel.
    /// </summary>
    public static IEnumerable<GuestAction> SysExit(GuestThread t, long status)
    {
        switch (t.Kernel)
        {
            case KernelVariant.Base:
                if (status == 0)
                {
                    yield return Call(t.ThreadStopHook(t));
                }

                yield return Trap0(Trap0Numbers.Angel, AngelSysExit, status);
                yield break;
            case KernelVariant.Pr39:
                yield return Trap0(Trap0Numbers.VmStop, status);
                yield break;
            default:
                yield return Trap0(Trap0Numbers.VmOp, VmOp.KillVm, VmOp.KillVmSelf, status);
                if (status == 0)
                {
                    yield return Call(t.ThreadStopHook(t));
                }

                yield return Trap0(Trap0Numbers.Angel, AngelSysExit, status);
                yield break;
        }
    }

    /// <summary>The default stop hook for programs without the pthread layer: trap0 5 with status 0.</summary>
    public static IEnumerable<GuestAction> ThreadStop(GuestThread t, long status = 0)
    {
        yield return Trap0(Trap0Numbers.ThreadStop, status);
    }

    /// <summary>h2_anysignal_wait: level-latched; returns at once if a bit is set, else FUTEX_WAIT, retried.</summary>
    public static IEnumerable<GuestAction> AnySignalWait(GuestThread t, long address, long mask)
    {
        while (true)
        {
            var value = t.Load(address);
            yield return Spin(t.System.Costs.GuestAtomicCycles);
            if ((value & mask) != 0)
            {
                t.FetchAnd(address, ~(value & mask));
                yield break;
            }

            yield return Trap0(Trap0Numbers.FutexWait, address, value);
        }
    }

    /// <summary>h2_anysignal_set: OR the bits in, wake every waiter.</summary>
    public static IEnumerable<GuestAction> AnySignalSet(GuestThread t, long address, long mask)
    {
        t.FetchOr(address, mask);
        yield return Spin(t.System.Costs.GuestAtomicCycles);
        yield return Trap0(Trap0Numbers.FutexWake, address, 0x7fff);
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
