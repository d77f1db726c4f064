using System.Globalization;
using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Pthread;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// Runs a scenario thread body on a context: each operation becomes the guest actions of the
/// pthread layer or of a raw trap (h2-domain.md §9, §10). Results are checked against `expect:`
/// the way an upstream test asserts: a mismatch prints "FAIL: file:line: …", which the suite
/// reads. Thread-local variables live in the frame; `id:` globals in the VM's memory.
/// </summary>
public static class ScenarioInterpreter
{
    /// <summary>main behind crt0: the VM's objects get their static initialisers first.</summary>
    public static IEnumerable<GuestAction> RunMain(GuestThread t, Scenario scenario, ScenarioVm vm, ScenarioThread main, Out ret)
    {
        foreach (var obj in vm.Objects.Values)
        {
            Initialise(t, obj);
        }

        foreach (var global in vm.Globals)
        {
            t.Store(GlobalAddress(t, global), 0);
        }

        return RunThread(t, scenario, vm, main, 0, ret);
    }

    public static IEnumerable<GuestAction> RunThread(GuestThread t, Scenario scenario, ScenarioVm vm, ScenarioThread thread, long arg, Out ret)
    {
        var frame = new Frame(t, scenario, vm);
        frame.Locals["arg"] = arg;
        yield return Call(Run(frame, thread.Ops));
        ret.Value = frame.ReturnValue;
    }

    private static void Initialise(GuestThread t, ScenarioObject obj)
    {
        var address = Address(t, obj);
        switch (obj.Type)
        {
            case "mutex":
                PthreadMutex.Init(t, address, obj.Initial);
                break;
            case "sem":
                H2Sem.Init(t, address, obj.Initial);
                break;
            case "barrier":
                if (obj.Initial > 0)
                {
                    PthreadBarrier.Init(t, address, obj.Initial);
                }

                break;
            case "attr":
                PthreadAttr.Init(t, address);
                break;
            default:
                t.Store(address, obj.Initial);
                break;
        }
    }

    public static long Address(GuestThread t, ScenarioObject obj) => t.Address(obj.Name, obj.Words);

    private static long GlobalAddress(GuestThread t, string name) => t.Address("var." + name);

    private static IEnumerable<GuestAction> Run(Frame f, IReadOnlyList<ScenarioOp> ops)
    {
        foreach (var op in ops)
        {
            if (f.Returned)
            {
                yield break;
            }

            yield return Call(Step(f, op));
        }
    }

    private static IEnumerable<GuestAction> Step(Frame f, ScenarioOp op)
    {
        var t = f.Thread;
        var rc = new Out();
        switch (op.Kind)
        {
            case "spin":
                var cycles = f.Eval(op, "cycles");
                if (cycles > 0)
                {
                    yield return Spin((ulong)cycles);
                }

                yield break;
            case "yield":
                yield return Trap0(Trap0Numbers.Yield);
                yield break;
            case "print":
                yield return Print(f.Interpolate(op.Text("text")!));
                yield break;
            case "check":
                if (f.Eval(op, "that") == 0)
                {
                    yield return Print($"FAIL: {f.Scenario.File}:{op.Line}: check failed: {op.Expr("that")} ({f.Explain(op.Expr("that")!)})");
                }

                yield break;
            case "set":
                f.Locals[op.Text("var")!] = f.Eval(op, "value");
                yield break;
            case "load":
                yield return Spin(t.System.Costs.GuestAtomic);
                rc.Value = t.Load(Address(t, op.Object("word")));
                break;
            case "store":
                t.Store(Address(t, op.Object("word")), f.Eval(op, "value"));
                yield return Spin(t.System.Costs.GuestAtomic);
                yield break;
            case "fetch_add":
                rc.Value = t.FetchAdd(Address(t, op.Object("word")), f.Eval(op, "add", 1));
                yield return Spin(t.System.Costs.GuestAtomic);
                break;
            case "repeat":
                var times = f.Eval(op, "times");
                if (!ScenarioRanges.RepeatTimes.Contains(times))
                {
                    throw f.Error(op, $"expected {ScenarioRanges.RepeatTimes.Name} in {ScenarioRanges.RepeatTimes}, the expression gave {times}");
                }

                for (var i = 0L; i < times && !f.Returned; i++)
                {
                    yield return Call(Run(f, op.Ops("do")));
                }

                yield break;
            case "forever":
                while (!f.Returned)
                {
                    yield return Call(Run(f, op.Ops("do")));
                }

                yield break;
            case "if":
                yield return Call(Run(f, f.Eval(op, "that") != 0 ? op.Ops("then") : op.Ops("else")));
                yield break;
            case "call":
                if (f.Depth == ScenarioRanges.CallDepth.Max)
                {
                    throw f.Error(op, $"calls nest deeper than {ScenarioRanges.CallDepth.Max} (a recursion without an end?)");
                }

                var callee = new Frame(t, f.Scenario, f.Vm) { Depth = f.Depth + 1 };
                callee.Locals["arg"] = f.Eval(op, "arg");
                yield return Spin(t.System.Costs.GuestCall);
                yield return Call(Run(callee, op.Thread("thread").Ops));
                rc.Value = callee.ReturnValue;
                break;
            case "return":
                f.ReturnValue = f.Eval(op, "value");
                f.Returned = true;
                yield break;
            case "exit":
                yield return Call(GuestLib.SysExit(t, f.Eval(op, "status")));
                yield break;

            case "create":
                var outId = op.Text("id") is { } idVar ? GlobalAddress(t, idVar) : 0;
                var attr = op.Args.ContainsKey("attr") ? Address(t, op.Object("attr")) : 0;
                if (op.Args.ContainsKey("detached"))
                {
                    // A scenario shorthand for an attr with PTHREAD_CREATE_DETACHED.
                    attr = t.Address($"attr.line{op.Line}", PthreadAttr.Words);
                    PthreadAttr.Init(t, attr);
                    PthreadAttr.Set(t, attr, "detachstate", f.Eval(op, "detached") != 0 ? 1 : 0);
                }

                yield return Call(PthreadThread.Create(t, outId, t.PcOf(f.Vm.ProgramName(op.Thread("thread").Name)), f.Eval(op, "arg"), attr, rc));
                if (rc.Value == Errno.Ok && outId != 0)
                {
                    NameThreadObjects(t, t.Load(outId), op.Text("id")!);
                }

                break;
            case "join":
                var retval = new Out();
                yield return Call(PthreadThread.Join(t, f.Eval(op, "id"), rc, retval));
                if (op.Text("retval") is { } retvalVar)
                {
                    f.Locals[retvalVar] = retval.Value;
                }

                break;
            case "detach":
                yield return Call(PthreadThread.Detach(t, f.Eval(op, "id"), rc));
                break;
            case "pthread_exit":
                yield return Call(PthreadThread.Exit(t, f.Eval(op, "value")));
                yield break;
            case "attr_init":
                PthreadAttr.Init(t, Address(t, op.Object("attr")));
                yield return Spin(t.System.Costs.GuestCall);
                yield break;
            case "attr_set":
                rc.Value = PthreadAttr.Set(t, Address(t, op.Object("attr")), op.Text("field")!, f.Eval(op, "value"));
                yield return Spin(t.System.Costs.GuestCall);
                break;
            case "attr_get":
                var (attrRc, attrValue) = PthreadAttr.Read(t, Address(t, op.Object("attr")), op.Text("field")!);
                yield return Spin(t.System.Costs.GuestCall);
                if (op.Args.ContainsKey("expect_rc") && attrRc != f.Eval(op, "expect_rc"))
                {
                    yield return Print(Mismatch(f, op, attrRc, f.Eval(op, "expect_rc")));
                }

                rc.Value = attrValue;
                break;

            case "mutex_init":
                PthreadMutex.Init(t, Address(t, op.Object("mutex")), op.Text("type") == "recursive" ? PthreadMutex.Recursive : PthreadMutex.Normal);
                yield return Spin(t.System.Costs.GuestCall);
                yield break;
            case "mutex_lock":
                yield return Call(PthreadMutex.Lock(t, Address(t, op.Object("mutex"))));
                break;
            case "mutex_trylock":
                yield return Call(PthreadMutex.TryLock(t, Address(t, op.Object("mutex")), rc));
                break;
            case "mutex_unlock":
                yield return Call(PthreadMutex.Unlock(t, Address(t, op.Object("mutex"))));
                break;
            case "mutex_destroy":
                yield return Spin(t.System.Costs.GuestCall);
                break;

            case "cond_wait":
                yield return Call(PthreadCond.Wait(t, Address(t, op.Object("cond")), Address(t, op.Object("mutex"))));
                break;
            case "cond_timedwait":
                var deadline = PthreadCond.Deadline(f.Eval(op, "sec"), f.Eval(op, "nsec"));
                yield return Call(PthreadCond.TimedWait(t, Address(t, op.Object("cond")), Address(t, op.Object("mutex")), deadline, rc));
                break;
            case "cond_signal":
                yield return Call(PthreadCond.Signal(t, Address(t, op.Object("cond"))));
                yield break;
            case "cond_broadcast":
                yield return Call(PthreadCond.Broadcast(t, Address(t, op.Object("cond"))));
                yield break;

            case "sem_init":
                H2Sem.Init(t, Address(t, op.Object("sem")), f.Eval(op, "value"));
                yield return Spin(t.System.Costs.GuestCall);
                yield break;
            case "sem_wait" or "sem_timedwait":
                yield return Call(H2Sem.Down(t, Address(t, op.Object("sem"))));
                break;
            case "sem_trywait":
                yield return Call(H2Sem.TryDown(t, Address(t, op.Object("sem")), rc));
                break;
            case "sem_post":
                yield return Call(H2Sem.Up(t, Address(t, op.Object("sem")), 1, rc));
                break;
            case "sem_getvalue":
                yield return Spin(t.System.Costs.GuestAtomic);
                rc.Value = H2Sem.GetValue(t, Address(t, op.Object("sem")));
                break;

            case "barrier_init":
                rc.Value = PthreadBarrier.Init(t, Address(t, op.Object("barrier")), f.Eval(op, "count"));
                yield return Spin(t.System.Costs.GuestCall);
                break;
            case "barrier_wait":
                yield return Call(PthreadBarrier.Wait(t, Address(t, op.Object("barrier")), rc));
                break;
            case "barrier_destroy":
                yield return Spin(t.System.Costs.GuestCall);
                break;
            case "rwlock_init" or "rwlock_destroy":
                rc.Value = PthreadRwlock.Init();
                yield return Spin(t.System.Costs.GuestCall);
                break;
            case "rwlock_rdlock" or "rwlock_wrlock" or "rwlock_tryrdlock" or "rwlock_trywrlock" or "rwlock_unlock":
                rc.Value = PthreadRwlock.Operation();
                yield return Spin(t.System.Costs.GuestCall);
                break;

            case "key_create":
                var destructor = op.Args.ContainsKey("destructor") ? t.PcOf(f.Vm.ProgramName(op.Thread("destructor").Name)) : 0;
                yield return Call(PthreadKeys.Create(t, Address(t, op.Object("key")), destructor, rc));
                break;
            case "key_delete":
                yield return Call(PthreadKeys.Delete(t, t.Load(Address(t, op.Object("key"))), rc));
                break;
            case "setspecific":
                rc.Value = PthreadKeys.Set(t, t.Load(Address(t, op.Object("key"))), f.Eval(op, "value"));
                yield return Spin(t.System.Costs.GuestCall);
                break;
            case "getspecific":
                rc.Value = PthreadKeys.Get(t, t.Load(Address(t, op.Object("key"))));
                yield return Spin(t.System.Costs.GuestCall);
                break;

            case "futex_wait":
                yield return Trap0(Trap0Numbers.FutexWait, Address(t, op.Object("word")), f.Eval(op, "value"));
                rc.Value = t.Result;
                break;
            case "futex_wake":
                yield return Trap0(Trap0Numbers.FutexWake, Address(t, op.Object("word")), f.Eval(op, "count", 1));
                rc.Value = t.Result;
                break;
            case "lock_pi":
                yield return Trap0(Trap0Numbers.FutexLockPi, Address(t, op.Object("word")));
                rc.Value = t.Result;
                break;
            case "unlock_pi":
                yield return Trap0(Trap0Numbers.FutexUnlockPi, Address(t, op.Object("word")));
                rc.Value = t.Result;
                break;
            case "popup_wait":
                yield return Trap0(Trap0Numbers.IntWait, f.Eval(op, "int"));
                rc.Value = t.Result;
                break;
            case "intpool_config":
                yield return Trap0(Trap0Numbers.IntpoolConfig, f.Eval(op, "int"), f.Eval(op, "enable", 1));
                rc.Value = t.Result;
                break;
            case "intpool_wait":
                yield return Trap0(Trap0Numbers.IntpoolWait, f.Eval(op, "ack", -1));
                rc.Value = t.Result;
                break;
            case "vmwait":
                yield return VmTrap(Trap1.Wait);
                rc.Value = t.Result;
                break;
            case "thread_create":
                yield return GuestLib.ThreadCreate(t.PcOf(f.Vm.ProgramName(op.Thread("thread").Name)), f.Eval(op, "arg"), (int)f.Eval(op, "prio", KernelConstants.DefaultPthreadPrio));
                rc.Value = t.Result;
                break;
            case "thread_stop":
                yield return Trap0(Trap0Numbers.ThreadStop, f.Eval(op, "status"));
                yield break;
            case "vm_stop":
                yield return Trap0(Trap0Numbers.VmStop, f.Eval(op, "status"));
                rc.Value = t.Result;
                break;
            case "vmop_kill_thread":
                yield return Trap0(Trap0Numbers.VmOp, VmOp.KillThread, f.Eval(op, "id"));
                rc.Value = t.Result;
                break;
            case "vmop_kill_vm":
                yield return Trap0(Trap0Numbers.VmOp, VmOp.KillVm, f.Eval(op, "vm"), f.Eval(op, "status"));
                rc.Value = t.Result;
                break;
            case "vmop_status":
                yield return Trap0(Trap0Numbers.VmOp, VmOp.Status, op.Text("what") == "cpus" ? VmOp.StatusCpus : VmOp.StatusStatus, f.Eval(op, "vm"));
                rc.Value = t.Result;
                break;
            case "vmop_free":
                yield return Trap0(Trap0Numbers.VmOp, VmOp.Free, f.Eval(op, "vm"));
                rc.Value = t.Result;
                break;
            case "take_child_interrupts":
                yield return Call(Supervisor.TakeChildInterrupts(t));
                yield break;
            case "kill_child":
                yield return Call(Supervisor.KillChild(t, t.RemoteChildHandle(op.Text("vm")!), f.Eval(op, "status")));
                yield break;
            case "wait_children":
                var handles = f.Scenario.Vms.Where(v => v.Parent == f.Vm.Name).Select(v => t.RemoteChildHandle(v.Name)).ToList();
                yield return Call(Supervisor.WaitForChildren(t, handles));
                yield break;
            default:
                throw new InvalidOperationException($"operation '{op.Kind}' has no interpreter case");
        }

        if (op.Text("save") is { } save)
        {
            f.Locals[save] = rc.Value;
        }

        if (op.Args.ContainsKey("expect"))
        {
            var expected = f.Eval(op, "expect");
            if (rc.Value != expected)
            {
                yield return Print(Mismatch(f, op, rc.Value, expected));
            }
        }
    }

    private static string Mismatch(Frame f, ScenarioOp op, long actual, long expected) =>
        $"FAIL: {f.Scenario.File}:{op.Line}: {op.Kind} returned {Errno.Name(actual)}, expected {Errno.Name(expected)}";

    /// <summary>Names a created thread's TCB semaphores, so a hang report says "joined of w1" rather than an address.</summary>
    private static void NameThreadObjects(GuestThread t, long id, string name)
    {
        var tcb = PthreadProcess.Of(t).Tcbs.LastOrDefault(candidate => t.Load(candidate + PthreadThread.TcbId) == id);
        if (tcb == 0)
        {
            return;
        }

        t.Vm.Symbols[$"{name}.joined"] = tcb + PthreadThread.TcbJoined;
        t.Vm.Symbols[$"{name}.waiters"] = tcb + PthreadThread.TcbWaiters;
        t.Vm.Symbols[$"{name}.exiting"] = tcb + PthreadThread.TcbExiting;
        t.Vm.Symbols[$"{name}.ack"] = tcb + PthreadThread.TcbAck;
    }

    private sealed class Frame(GuestThread thread, Scenario scenario, ScenarioVm vm) : IExprEnvironment
    {
        public GuestThread Thread { get; } = thread;

        public Scenario Scenario { get; } = scenario;

        public ScenarioVm Vm { get; } = vm;

        public Dictionary<string, long> Locals { get; } = new(StringComparer.Ordinal);

        public bool Returned { get; set; }

        public long ReturnValue { get; set; }

        /// <summary>Calls between this frame and the thread's body (0 for the body itself).</summary>
        public int Depth { get; init; }

        public long Self => Thread.Id.Raw;

        public long Parameter(string name) => Thread.System.Parameters[name];

        public long Variable(string name) =>
            Locals.TryGetValue(name, out var value) ? value
            : Vm.Globals.Contains(name) ? Thread.Load(GlobalAddress(Thread, name))
            : 0;

        public long Eval(ScenarioOp op, string name, long fallback = 0)
        {
            try
            {
                return op.Expr(name)?.Eval(this) ?? fallback;
            }
            catch (OverflowException e)
            {
                throw Error(op, $"{name}: {e.Message}");
            }
        }

        public ScenarioException Error(ScenarioOp op, string message) => new(Scenario.File, op.Line, $"{op.Kind}: {message} (at run time)");

        /// <summary>print's {name}: the value of a parameter or variable (names were checked at load).</summary>
        public string Interpolate(string text) =>
            text.Contains('{', StringComparison.Ordinal)
                ? global::System.Text.RegularExpressions.Regex.Replace(text, @"\{([A-Za-z_][A-Za-z0-9_]*)\}", m =>
                    (Thread.System.Parameters.TryGetValue(m.Groups[1].Value, out var p) ? p : Variable(m.Groups[1].Value)).ToString(CultureInfo.InvariantCulture))
                : text;

        /// <summary>The values of the variables an expression read, for a failed check's message.</summary>
        public string Explain(ScenarioExpr expr) =>
            string.Join(", ", Names(expr).Distinct().Select(n => $"{n} = {Variable(n).ToString(CultureInfo.InvariantCulture)}"));

        private static IEnumerable<string> Names(ScenarioExpr expr) => expr switch
        {
            ScenarioExpr.Var v => [v.Name],
            ScenarioExpr.Unary u => Names(u.Operand),
            ScenarioExpr.Binary b => Names(b.Left).Concat(Names(b.Right)),
            _ => [],
        };
    }
}
