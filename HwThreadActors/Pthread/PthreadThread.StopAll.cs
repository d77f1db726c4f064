using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Pthread;

/// <summary>
/// [V] "stop all pthreads", the POSIX library's half of exit() on the review kernel
/// (docs/designs.md): the review keeps it apart from the kernel's "stop the VM". No upstream
/// library has it; it is written the way libs/posix/pthread would write it, on [M]'s trap.
/// </summary>
public static partial class PthreadThread
{
    /// <summary>Kills every other live pthread with VMOP_KILL_THREAD; returns when each kill has been asked for.</summary>
    public static GuestAction StopAllOthers() => Invoke(StopAllOthersRoutine);

    /// <summary>The ids to kill, read under the list lock, and the next one.</summary>
    private sealed class Victims
    {
        public List<long> Ids { get; } = new();

        public int Next;
    }

    /// <summary>
    /// Lock the TCB list (so no pthread_create or pthread_exit changes it), collect every pthread
    /// but me (main too, unless it already reached its trap 5: its id could name a new thread),
    /// VMOP_KILL_THREAD each (the kernel marks it KILL|VMWORK wherever it is; it dies itself),
    /// unlock. A killed thread that held a library lock dies holding it; the caller is killed next
    /// by VMOP_KILL_VM, so nothing waits on that lock.
    /// </summary>
    private static GuestAction StopAllOthersRoutine(GuestThread t, ref GuestFrame f)
    {
        var process = PthreadProcess.Of(t);
        switch (f.Pc)
        {
            case 0:
                return f.Then(1, PlainMutex.Lock(process.ListLock));
            case 1:
                var victims = new Victims();
                var mainId = t.Load(process.MainTcb + TcbId);
                if (!process.MainExited && mainId != t.Id.Raw)
                {
                    victims.Ids.Add(mainId);
                }

                foreach (var tcb in process.Tcbs)
                {
                    var id = t.Load(tcb + TcbId);
                    if (id != t.Id.Raw)
                    {
                        victims.Ids.Add(id);
                    }
                }

                f.Ref = victims;
                goto case 2;
            case 2:
                var list = (Victims)f.Ref!;
                return list.Next == list.Ids.Count
                    ? f.Then(3, PlainMutex.Unlock(process.ListLock))
                    : f.Then(2, Trap0(Trap0Numbers.VmOp, VmOp.KillThread, list.Ids[list.Next++]));
            default:
                return Return();
        }
    }
}
