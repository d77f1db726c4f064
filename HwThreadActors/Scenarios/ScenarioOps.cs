using H2Sim.HwThreadActors.Scenarios.Interpreter;
using H2Sim.HwThreadActors.Scenarios.Ops;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>How an operation argument is read from the file.</summary>
public enum ArgKind
{
    /// <summary>An integer expression.</summary>
    Expr,

    /// <summary>A sync object of the VM (optionally of one type).</summary>
    Object,

    /// <summary>A thread body of the VM.</summary>
    Thread,

    /// <summary>Free text (print) or one word of a fixed set.</summary>
    Text,

    /// <summary>A nested list of operations.</summary>
    Ops,

    /// <summary>A thread-local variable name the operation writes.</summary>
    Local,

    /// <summary>A global (guest memory) variable name the operation writes.</summary>
    Global,

    /// <summary>A VM whose `parent:` is this VM (the cross-cluster extension).</summary>
    ChildVm,
}

/// <summary>One argument of an operation: how it is read and, for a number with limits, its range (checked at load for a constant, at run time for a computed value).</summary>
public sealed record ArgSpec(string Name, ArgKind Kind, bool Required = false, string? ObjectType = null, string[]? Choices = null, ScenarioRange? Range = null);

/// <summary>
/// An operation: its name, the argument a scalar value binds to, its one-line summary (the
/// "what it does" column of docs/scenarios.md, checked by a test), its arguments (how the loader
/// parses each), and how it runs: <see cref="Run"/> for one instruction, or <see cref="Lower"/> for
/// control flow that compiles to jumps (exactly one of the two).
/// </summary>
public sealed record OpSpec(string Name, string? Shorthand, string Summary, params ArgSpec[] Args)
{
    public OpRun? Run { get; init; }

    public Action<ScenarioOp, ScenarioCompiler>? Lower { get; init; }

    public ArgSpec? Arg(string name) => Args.FirstOrDefault(a => a.Name == name);
}

/// <summary>
/// Every operation a scenario thread may use, one row each (docs/scenarios.md's operation table is
/// this table rendered; a test keeps the two equal):
/// guest basics, the pthread layer (h2-domain.md §9), and the raw traps (§10). `expect:` on an
/// operation prints "FAIL: file:line: …" when its result differs, as an upstream test's assert
/// would; `save:` keeps the result in a thread-local variable.
/// </summary>
public static class ScenarioOps
{
    private static readonly ArgSpec Expect = new("expect", ArgKind.Expr);
    private static readonly ArgSpec Save = new("save", ArgKind.Local);

    public static readonly IReadOnlyDictionary<string, OpSpec> All = new OpSpec[]
    {
        // Guest basics.
        new("spin", "cycles", "spin N iterations (N cycles)", new ArgSpec("cycles", ArgKind.Expr, true)) { Run = BasicOps.Spin },
        new("yield", null, "trap0 12 H2_TRAP_YIELD") { Run = BasicOps.Yield },
        new("print", "text", "print a line (\"TEST PASSED\" is what the suite looks for)", new ArgSpec("text", ArgKind.Text, true)) { Run = BasicOps.PrintLine },
        new("check", "that", "print FAIL unless the expression is non-zero", new ArgSpec("that", ArgKind.Expr, true)) { Run = BasicOps.Check },
        new("set", null, "set a thread-local variable", new ArgSpec("var", ArgKind.Local, true), new ArgSpec("value", ArgKind.Expr, true)) { Run = BasicOps.Set },
        new("load", "word", "read an object's word", new ArgSpec("word", ArgKind.Object, true), Save, Expect) { Run = BasicOps.Load },
        new("store", null, "write an object's word", new ArgSpec("word", ArgKind.Object, true), new ArgSpec("value", ArgKind.Expr, true)) { Run = BasicOps.Store },
        new("fetch_add", null, "atomic add (LL/SC); saves the old value", new ArgSpec("word", ArgKind.Object, true), new ArgSpec("add", ArgKind.Expr), Save, Expect) { Run = BasicOps.FetchAdd },
        new("repeat", null, "run `do` N times", new ArgSpec("times", ArgKind.Expr, true, Range: ScenarioRanges.RepeatTimes), new ArgSpec("do", ArgKind.Ops, true)) { Lower = ControlOps.LowerRepeat },
        new("forever", "do", "run `do` until the thread dies", new ArgSpec("do", ArgKind.Ops, true)) { Lower = ControlOps.LowerForever },
        new("if", null, "run `then` when the expression is non-zero, else `else`", new ArgSpec("that", ArgKind.Expr, true), new ArgSpec("then", ArgKind.Ops), new ArgSpec("else", ArgKind.Ops)) { Lower = ControlOps.LowerIf },
        new("call", "thread", "call another thread body as a function", new ArgSpec("thread", ArgKind.Thread, true), new ArgSpec("arg", ArgKind.Expr), Save) { Run = ControlOps.Call },
        new("return", "value", "return from the thread body (main: exit(value) through crt0)", new ArgSpec("value", ArgKind.Expr)) { Run = ControlOps.ReturnFromBody },
        new("exit", "status", "exit(status): sys_exit for this kernel", new ArgSpec("status", ArgKind.Expr)) { Run = BasicOps.Exit },

        // Threads.
        new("create", null, "pthread_create", new ArgSpec("thread", ArgKind.Thread, true), new ArgSpec("id", ArgKind.Global), new ArgSpec("arg", ArgKind.Expr), new ArgSpec("attr", ArgKind.Object, ObjectType: "attr"), new ArgSpec("detached", ArgKind.Expr), Expect, Save) { Run = ThreadOps.Create },
        new("join", "id", "pthread_join", new ArgSpec("id", ArgKind.Expr, true), new ArgSpec("retval", ArgKind.Local), Expect, Save) { Run = ThreadOps.Join },
        new("detach", "id", "pthread_detach", new ArgSpec("id", ArgKind.Expr, true), Expect, Save) { Run = ThreadOps.Detach },
        new("pthread_exit", "value", "pthread_exit(value)", new ArgSpec("value", ArgKind.Expr)) { Run = ThreadOps.Exit },
        new("attr_init", "attr", "pthread_attr_init", new ArgSpec("attr", ArgKind.Object, true, "attr")) { Run = ThreadOps.AttrInit },
        new("attr_set", null, "pthread_attr_set<field>", new ArgSpec("attr", ArgKind.Object, true, "attr"), new ArgSpec("field", ArgKind.Text, true, Choices: ["detachstate", "stacksize", "priority", "schedpolicy", "inheritsched"]), new ArgSpec("value", ArgKind.Expr, true), Expect, Save) { Run = ThreadOps.AttrSet },
        new("attr_get", null, "pthread_attr_get<field>: the value (rc in expect_rc)", new ArgSpec("attr", ArgKind.Object, true, "attr"), new ArgSpec("field", ArgKind.Text, true, Choices: ["detachstate", "stacksize", "priority", "schedpolicy", "inheritsched"]), new ArgSpec("expect_rc", ArgKind.Expr), Expect, Save) { Run = ThreadOps.AttrGet },

        // Mutexes.
        new("mutex_init", null, "pthread_mutex_init", new ArgSpec("mutex", ArgKind.Object, true, "mutex"), new ArgSpec("type", ArgKind.Text, Choices: ["normal", "recursive"])) { Run = SyncOps.MutexInit },
        new("mutex_lock", "mutex", "pthread_mutex_lock", new ArgSpec("mutex", ArgKind.Object, true, "mutex"), Expect) { Run = SyncOps.MutexLock },
        new("mutex_trylock", "mutex", "pthread_mutex_trylock", new ArgSpec("mutex", ArgKind.Object, true, "mutex"), Expect, Save) { Run = SyncOps.MutexTryLock },
        new("mutex_unlock", "mutex", "pthread_mutex_unlock", new ArgSpec("mutex", ArgKind.Object, true, "mutex"), Expect) { Run = SyncOps.MutexUnlock },
        new("mutex_destroy", "mutex", "pthread_mutex_destroy (a no-op)", new ArgSpec("mutex", ArgKind.Object, true, "mutex"), Expect) { Run = SyncOps.Destroy },

        // Condition variables.
        new("cond_wait", null, "pthread_cond_wait", new ArgSpec("cond", ArgKind.Object, true, "cond"), new ArgSpec("mutex", ArgKind.Object, true, "mutex"), Expect) { Run = SyncOps.CondWait },
        new("cond_timedwait", null, "pthread_cond_timedwait (a yield busy loop) with an absolute deadline", new ArgSpec("cond", ArgKind.Object, true, "cond"), new ArgSpec("mutex", ArgKind.Object, true, "mutex"), new ArgSpec("sec", ArgKind.Expr), new ArgSpec("nsec", ArgKind.Expr), Expect, Save) { Run = SyncOps.CondTimedWait },
        new("cond_signal", "cond", "pthread_cond_signal", new ArgSpec("cond", ArgKind.Object, true, "cond")) { Run = SyncOps.CondSignal },
        new("cond_broadcast", "cond", "pthread_cond_broadcast", new ArgSpec("cond", ArgKind.Object, true, "cond")) { Run = SyncOps.CondBroadcast },

        // Semaphores (POSIX sem and h2_sem share the word protocol).
        new("sem_init", null, "sem_init", new ArgSpec("sem", ArgKind.Object, true, "sem"), new ArgSpec("value", ArgKind.Expr)) { Run = SyncOps.SemInit },
        new("sem_wait", "sem", "sem_wait / h2_sem_down", new ArgSpec("sem", ArgKind.Object, true, "sem"), Expect) { Run = SyncOps.SemWait },
        new("sem_timedwait", "sem", "sem_timedwait (is sem_wait)", new ArgSpec("sem", ArgKind.Object, true, "sem"), Expect) { Run = SyncOps.SemWait },
        new("sem_trywait", "sem", "sem_trywait", new ArgSpec("sem", ArgKind.Object, true, "sem"), Expect, Save) { Run = SyncOps.SemTryWait },
        new("sem_post", "sem", "sem_post / h2_sem_up", new ArgSpec("sem", ArgKind.Object, true, "sem"), Expect, Save) { Run = SyncOps.SemPost },
        new("sem_getvalue", "sem", "sem_getvalue", new ArgSpec("sem", ArgKind.Object, true, "sem"), Expect, Save) { Run = SyncOps.SemGetValue },

        // Barriers and rwlocks.
        new("barrier_init", null, "pthread_barrier_init", new ArgSpec("barrier", ArgKind.Object, true, "barrier"), new ArgSpec("count", ArgKind.Expr, true), Expect, Save) { Run = SyncOps.BarrierInit },
        new("barrier_wait", "barrier", "pthread_barrier_wait (SERIAL for one waiter per round)", new ArgSpec("barrier", ArgKind.Object, true, "barrier"), Expect, Save) { Run = SyncOps.BarrierWait },
        new("barrier_destroy", "barrier", "pthread_barrier_destroy", new ArgSpec("barrier", ArgKind.Object, true, "barrier"), Expect) { Run = SyncOps.Destroy },
        new("rwlock_init", "rwlock", "pthread_rwlock_init (0)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockInit },
        new("rwlock_rdlock", "rwlock", "pthread_rwlock_rdlock (ENOSYS stub)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockOperation },
        new("rwlock_wrlock", "rwlock", "pthread_rwlock_wrlock (ENOSYS stub)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockOperation },
        new("rwlock_tryrdlock", "rwlock", "pthread_rwlock_tryrdlock (ENOSYS stub)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockOperation },
        new("rwlock_trywrlock", "rwlock", "pthread_rwlock_trywrlock (ENOSYS stub)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockOperation },
        new("rwlock_unlock", "rwlock", "pthread_rwlock_unlock (ENOSYS stub)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockOperation },
        new("rwlock_destroy", "rwlock", "pthread_rwlock_destroy (0)", new ArgSpec("rwlock", ArgKind.Object, true, "rwlock"), Expect, Save) { Run = SyncOps.RwlockInit },

        // TLS keys.
        new("key_create", null, "pthread_key_create", new ArgSpec("key", ArgKind.Object, true, "key"), new ArgSpec("destructor", ArgKind.Thread), Expect, Save) { Run = SyncOps.KeyCreate },
        new("key_delete", "key", "pthread_key_delete", new ArgSpec("key", ArgKind.Object, true, "key"), Expect) { Run = SyncOps.KeyDelete },
        new("setspecific", null, "pthread_setspecific", new ArgSpec("key", ArgKind.Object, true, "key"), new ArgSpec("value", ArgKind.Expr, true), Expect) { Run = SyncOps.SetSpecific },
        new("getspecific", "key", "pthread_getspecific", new ArgSpec("key", ArgKind.Object, true, "key"), Expect, Save) { Run = SyncOps.GetSpecific },

        // Raw traps (h2-domain.md §10).
        new("futex_wait", null, "trap0 2 FUTEX_WAIT, once (no retry)", new ArgSpec("word", ArgKind.Object, true), new ArgSpec("value", ArgKind.Expr), Expect, Save) { Run = TrapOps.FutexWait },
        new("futex_wake", null, "trap0 3 FUTEX_WAKE", new ArgSpec("word", ArgKind.Object, true), new ArgSpec("count", ArgKind.Expr), Expect, Save) { Run = TrapOps.FutexWake },
        new("lock_pi", "word", "trap0 20 FUTEX_LOCK_PI, once", new ArgSpec("word", ArgKind.Object, true), Expect, Save) { Run = TrapOps.LockPi },
        new("unlock_pi", "word", "trap0 21 FUTEX_UNLOCK_PI", new ArgSpec("word", ArgKind.Object, true), Expect, Save) { Run = TrapOps.UnlockPi },
        new("popup_wait", "int", "trap0 11 H2_TRAP_INTWAIT", new ArgSpec("int", ArgKind.Expr, true), Expect, Save) { Run = TrapOps.PopupWait },
        new("intpool_config", null, "trap0 14 intpool configure", new ArgSpec("int", ArgKind.Expr, true), new ArgSpec("enable", ArgKind.Expr), Expect, Save) { Run = TrapOps.IntpoolConfig },
        new("intpool_wait", null, "trap0 15 intpool wait", new ArgSpec("ack", ArgKind.Expr), Expect, Save) { Run = TrapOps.IntpoolWait },
        new("raise_interrupt", "int", "a device raises hardware interrupt `int` (0..511) `after` cycles from now, with swi semantics: the pending bit is set (a second raise before it is taken coalesces) and one hthread able to take it does (which one, when several can, is a choice point)", new ArgSpec("int", ArgKind.Expr, true, Range: ScenarioRanges.InterruptNumber), new ArgSpec("after", ArgKind.Expr)) { Run = TrapOps.RaiseInterrupt },
        new("vmwait", null, "vmtrap 16 VM wait", Expect, Save) { Run = TrapOps.VmWait },
        new("thread_create", null, "trap0 4 THREAD_CREATE of a raw thread (no pthread TCB); saves the id", new ArgSpec("thread", ArgKind.Thread, true), new ArgSpec("arg", ArgKind.Expr), new ArgSpec("prio", ArgKind.Expr), Expect, Save) { Run = TrapOps.ThreadCreate },
        new("thread_stop", "status", "trap0 5 THREAD_STOP", new ArgSpec("status", ArgKind.Expr)) { Run = TrapOps.ThreadStop },
        new("vm_stop", "status", "trap0 7 ([P] VM_STOP; H2K_thread_id elsewhere)", new ArgSpec("status", ArgKind.Expr), Save) { Run = TrapOps.VmStop },
        new("vmop_kill_thread", "id", "VMOP_KILL_THREAD ([M], [V])", new ArgSpec("id", ArgKind.Expr, true), Expect, Save) { Run = TrapOps.KillThread },
        new("vmop_kill_vm", null, "VMOP_KILL_VM ([M]; [V] also marks the VM dying); vm 0 = SELF", new ArgSpec("vm", ArgKind.Expr), new ArgSpec("status", ArgKind.Expr), Expect, Save) { Run = TrapOps.KillVm },
        new("vmop_status", null, "VMOP_STATUS; what = status | cpus; vm 0 = SELF", new ArgSpec("what", ArgKind.Text, Choices: ["status", "cpus"]), new ArgSpec("vm", ArgKind.Expr), Expect, Save) { Run = TrapOps.Status },
        new("vmop_free", "vm", "VMOP_FREE", new ArgSpec("vm", ArgKind.Expr, true), Expect, Save) { Run = TrapOps.Free },

        // A parent of VMs on other clusters (the cross-cluster extension, Guest/Supervisor.cs).
        new("take_child_interrupts", null, "set the guest vector, enable CHILDINT, set IE (as the booter does)") { Run = TrapOps.TakeChildInterrupts },
        new("kill_child", null, "VMOP_KILL_VM on a child VM, retried until the child is known", new ArgSpec("vm", ArgKind.ChildVm, true), new ArgSpec("status", ArgKind.Expr)) { Run = TrapOps.KillChild },
        new("wait_children", null, "wait for CHILDINTs until every child VM drained; free each") { Run = TrapOps.WaitChildren },
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);
}
