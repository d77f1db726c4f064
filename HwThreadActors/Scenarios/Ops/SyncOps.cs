using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Pthread;
using H2Sim.HwThreadActors.Scenarios.Interpreter;
using static H2Sim.HwThreadActors.Scenarios.Ops.BasicOps;

namespace H2Sim.HwThreadActors.Scenarios.Ops;

/// <summary>Mutexes, condition variables, semaphores, barriers and the rwlock stubs of libpthread.</summary>
public static class SyncOps
{
    public static GuestAction MutexInit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        PthreadMutex.Init(a.Thread, a.Address(i, "mutex"), i.Op.Text("type") == "recursive" ? PthreadMutex.Recursive : PthreadMutex.Normal);
        return a.Next(ref f, GuestAction.Spin(a.Thread.System.Costs.GuestCallCycles));
    }

    public static GuestAction MutexLock(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadMutex.Lock(a.Address(i, "mutex"))) : AfterVoid(a, i, ref f);

    public static GuestAction MutexTryLock(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadMutex.TryLock(a.Address(i, "mutex"))) : AfterReturn(a, i, ref f);

    public static GuestAction MutexUnlock(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadMutex.Unlock(a.Address(i, "mutex"))) : AfterVoid(a, i, ref f);

    /// <summary>pthread_mutex_destroy, pthread_barrier_destroy: a call that does nothing and returns 0.</summary>
    public static GuestAction Destroy(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, GuestAction.Spin(a.Thread.System.Costs.GuestCallCycles)) : AfterVoid(a, i, ref f);

    public static GuestAction CondWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadCond.Wait(a.Address(i, "cond"), a.Address(i, "mutex"))) : AfterVoid(a, i, ref f);

    public static GuestAction CondTimedWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0
            ? f.Then(1, PthreadCond.TimedWait(a.Address(i, "cond"), a.Address(i, "mutex"), PthreadCond.Deadline(a.Eval(i, "sec"), a.Eval(i, "nsec"))))
            : AfterReturn(a, i, ref f);

    public static GuestAction CondSignal(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, PthreadCond.Signal(a.Address(i, "cond")));

    public static GuestAction CondBroadcast(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, PthreadCond.Broadcast(a.Address(i, "cond")));

    public static GuestAction SemInit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        H2Sem.Init(a.Thread, a.Address(i, "sem"), a.Eval(i, "value"));
        return a.Next(ref f, GuestAction.Spin(a.Thread.System.Costs.GuestCallCycles));
    }

    /// <summary>sem_wait and sem_timedwait (the library's timedwait is sem_wait).</summary>
    public static GuestAction SemWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, H2Sem.Down(a.Address(i, "sem"))) : AfterVoid(a, i, ref f);

    public static GuestAction SemTryWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, H2Sem.TryDown(a.Address(i, "sem"))) : AfterReturn(a, i, ref f);

    public static GuestAction SemPost(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, H2Sem.Up(a.Address(i, "sem"))) : AfterReturn(a, i, ref f);

    /// <summary>sem_getvalue: the read costs an atomic; the value is read after it.</summary>
    public static GuestAction SemGetValue(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0
            ? f.Then(1, GuestAction.Spin(a.Thread.System.Costs.GuestAtomicCycles))
            : a.Finish(ref f, i, H2Sem.GetValue(a.Thread, a.Address(i, "sem")));

    public static GuestAction BarrierInit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc != 0 ? Kept(a, i, ref f) : AfterCallCost(a, ref f, PthreadBarrier.Init(a.Thread, a.Address(i, "barrier"), a.Eval(i, "count")));

    public static GuestAction BarrierWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadBarrier.Wait(a.Address(i, "barrier"))) : AfterReturn(a, i, ref f);

    /// <summary>pthread_rwlock_init / destroy: 0.</summary>
    public static GuestAction RwlockInit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc != 0 ? Kept(a, i, ref f) : AfterCallCost(a, ref f, PthreadRwlock.Init());

    /// <summary>The rwlock lock and unlock calls: ENOSYS stubs in the library.</summary>
    public static GuestAction RwlockOperation(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc != 0 ? Kept(a, i, ref f) : AfterCallCost(a, ref f, PthreadRwlock.Operation());

    public static GuestAction KeyCreate(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0
            ? f.Then(1, PthreadKeys.Create(a.Address(i, "key"), i.ProgramName is { } destructor ? a.Thread.PcOf(destructor) : 0))
            : AfterReturn(a, i, ref f);

    public static GuestAction KeyDelete(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadKeys.Delete(a.Thread.Load(a.Address(i, "key")))) : AfterReturn(a, i, ref f);

    public static GuestAction SetSpecific(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc != 0 ? Kept(a, i, ref f) : AfterCallCost(a, ref f, PthreadKeys.Set(a.Thread, a.Thread.Load(a.Address(i, "key")), a.Eval(i, "value")));

    public static GuestAction GetSpecific(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc != 0 ? Kept(a, i, ref f) : AfterCallCost(a, ref f, PthreadKeys.Get(a.Thread, a.Thread.Load(a.Address(i, "key"))));
}
