using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>pthread_exit (libs/posix/pthread/thread/pthread_thread.ref.c, pthread_exit and pthread_safe_death).</summary>
public static partial class PthreadThread
{
    /// <summary>
    /// pthread_exit(A0 = retval), steps 1–7 below; never returns. Also the thread-stop hook of a
    /// pthread (sys_exit(0) calls it with retval 0). L0 my TCB, L1 alive_count after the decrement.
    /// </summary>
    public static GuestAction ExitRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                f.L0 = SelfTcb(t);
                return f.Then(1, Spin(t.System.Costs.GuestCallCycles));
            case 1:
                // 1. retval, post waiters.
                t.Store(f.L0 + TcbRetval, f.A0);
                return f.Then(2, H2Sem.Up(f.L0 + TcbWaiters));
            case 2 when process.Flavour is PthreadFlavour.Master or PthreadFlavour.Review:
                // 2. [K]/[M]: the last live pthread kills the VM (reaping zombie joinables), then stops.
                //    [V]: the last live pthread ends the process as exit(0) does: stop all pthreads, then the VM.
                f.L1 = t.FetchAdd(process.AliveCount, -1) - 1;
                return f.Then(3, Spin(t.System.Costs.GuestAtomicCycles));
            case 2:
                goto case 5;
            case 3 when f.L1 == 0 && process.Flavour == PthreadFlavour.Review:
                t.ReportTeardownRequest();
                return f.Then(15, StopAllOthers());
            case 3 when f.L1 == 0:
                t.ReportTeardownRequest();
                goto case 15;
            case 15:
                return f.Then(4, Trap0(Trap0Numbers.VmOp, VmOp.KillVm, VmOp.KillVmSelf, 0));
            case 3:
                goto case 5;
            case 4:
                return f.Then(5, Trap0(Trap0Numbers.ThreadStop, 0));
            case 5:
                // 3. A joinable thread waits until it is joined (or detached).
                return t.Load(f.L0 + TcbDetached) == 0 ? f.Then(6, H2Sem.Down(f.L0 + TcbJoined)) : LockList(ref f, process);
            case 6:
                return LockList(ref f, process);
            case 7:
                // 4. Off the list; TLS-key destructors.
                process.Tcbs.Remove(f.L0);
                return f.Then(8, PlainMutex.Unlock(process.ListLock));
            case 8:
                return f.Then(9, PthreadKeys.RunDestructors(f.L0));
            case 9:
                return f.Then(10, PlainMutex.Lock(process.ExitLock));
            case 10:
                // 5. Deferred free: release the previous exiter's TCB and stack, queue mine ([P]: never main's).
                process.FreeDeferred(f.L0);

                // 6. A joinable thread hands over to its joiner.
                return t.Load(f.L0 + TcbDetached) == 0 ? f.Then(11, H2Sem.Up(f.L0 + TcbExiting)) : SafeDeath(ref f, process);
            case 11:
                return f.Then(12, H2Sem.Down(f.L0 + TcbAck));
            case 12:
                return SafeDeath(ref f, process);
            case 13 when t.Returned != 0:
                return SafeDeath(ref f, process);
            case 13:
                t.Ugp = 0;
                process.MainExited |= f.L0 == process.MainTcb;
                return f.Then(14, Trap0(Trap0Numbers.ThreadStop, 0));
            default:
                return Return();
        }
    }

    private static GuestAction LockList(ref GuestFrame f, PthreadProcess process) => f.Then(7, PlainMutex.Lock(process.ListLock));

    /// <summary>7. pthread_safe_death: unlock pthread_exit_lock until it succeeds (case 13 checks), then stop.</summary>
    private static GuestAction SafeDeath(ref GuestFrame f, PthreadProcess process) => f.Then(13, PlainMutex.Unlock(process.ExitLock));
}
