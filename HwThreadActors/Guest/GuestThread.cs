using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Guest;

/// <summary>
/// What a guest program sees of its thread: its context's id and argument, the result of the last
/// trap (saved r0), its VM's memory with the atomic operations LL/SC gives a real guest, and
/// named objects. Memory operations are atomic at the current virtual time.
/// </summary>
public sealed class GuestThread
{
    private readonly ClusterRuntime cluster;

    internal GuestThread(ClusterRuntime cluster, ThreadContext context)
    {
        this.cluster = cluster;
        Context = context;
        Vm = context.VmBlock;
    }

    /// <summary>The context this guest thread runs on (a pooled guest thread is bound again to each new one).</summary>
    public ThreadContext Context { get; private set; }

    public VmBlock Vm { get; private set; }

    /// <summary>Binds a pooled guest thread to a fresh context.</summary>
    internal void Bind(ThreadContext context)
    {
        Context = context;
        Vm = context.VmBlock;
    }

    /// <summary>The context was cleared: nothing of the old thread stays (its stop hook, its library).</summary>
    internal void Unbind()
    {
        ThreadStopHook = GuestLib.ThreadStopRoutine;
        Library = null;
        Ugp = 0;
        if (Scratch is IGuestScratch scratch)
        {
            scratch.Free();
        }
    }

    public ThreadId Id => Context.Id;

    /// <summary>Saved r0: what the last trap returned.</summary>
    public long Result => Context.R00;

    public long Arg => Context.EntryArg;

    public KernelVariant Kernel => cluster.Kernel.Variant;

    public int ClusterIndex => cluster.Kernel.Cluster;

    /// <summary>What sys_exit(0) calls (the weak __h2_thread_stop_hook__): pthread_exit(0) where the pthread layer is linked, else a plain thread stop.</summary>
    public GuestRoutine ThreadStopHook { get; set; } = GuestLib.ThreadStopRoutine;

    /// <summary>A call of the stop hook with status / retval 0.</summary>
    public GuestAction StopHook() => GuestAction.Invoke(ThreadStopHook);

    /// <summary>The guest state of this context (its call stack), set when the context first runs.</summary>
    public GuestExecution Execution { get; internal set; } = null!;

    /// <summary>What the routine that returned last handed back.</summary>
    public long Returned => Execution.Returned;

    /// <summary>The second value the routine that returned last handed back.</summary>
    public long Returned2
    {
        get => Execution.Returned2;
        set => Execution.Returned2 = value;
    }

    public ulong Now => cluster.Effects.NowCycles;

    public SystemDefinition System => cluster.Definition;

    public long PcOf(string program) => cluster.Definition.Programs.PcOf(program);

    /// <summary>The address of a named object of this VM, allocated on first use (8-byte words).</summary>
    public long Address(string name, int words = 1) => cluster.AddressOf(Vm, name, words);

    /// <summary>Fresh words of this VM's memory (calloc without free: the model never reuses guest memory).</summary>
    public long Allocate(int words) => cluster.Allocate(Vm, words);

    /// <summary>Storage a guest layer keeps with this guest state and reuses for the next thread (a scenario body's activation).</summary>
    public object? Scratch { get; set; }

    /// <summary>The UGP register: libpthread keeps the running thread's TCB there (0 until it sets it).</summary>
    public long Ugp { get; set; }

    /// <summary>The guest library's state for this thread's VM boot (libpthread's globals), cached by that library.</summary>
    public object? Library { get; set; }

    public long Load(long address) => Vm.Read(address);

    public void Store(long address, long value) => Vm.Write(address, value);

    /// <summary>LL/SC compare-and-swap: returns the old value.</summary>
    public long CompareExchange(long address, long expected, long value)
    {
        var old = Vm.Read(address);
        if (old == expected)
        {
            Vm.Write(address, value);
        }

        return old;
    }

    /// <summary>LL/SC add: returns the old value.</summary>
    public long FetchAdd(long address, long delta)
    {
        var old = Vm.Read(address);
        Vm.Write(address, old + delta);
        return old;
    }

    public long FetchOr(long address, long bits)
    {
        var old = Vm.Read(address);
        Vm.Write(address, old | bits);
        return old;
    }

    public long FetchAnd(long address, long bits)
    {
        var old = Vm.Read(address);
        Vm.Write(address, old & bits);
        return old;
    }

    public void ReportBooterDone() => cluster.ReportBooterDone();

    /// <summary>This thread asks for its VM's end (exit(), the last pthread_exit): the teardown clock starts (observation only).</summary>
    public void ReportTeardownRequest() => cluster.TeardownRequested(Vm.Vmidx);

    /// <summary>This thread asks for a remote child's end (VMOP_KILL_VM on its handle): the child's teardown clock starts.</summary>
    public void ReportChildTeardownRequest(long handle) => cluster.ChildTeardownRequested(handle);

    /// <summary>The booter booted the VM in slot <paramref name="vmidx"/>: its prints now count for the next boot.</summary>
    public void ReportBoot(int vmidx) => cluster.ReportBoot(vmidx);

    /// <summary>A scenario asks the cluster's device to raise hardware interrupt <paramref name="intno"/> after a delay.</summary>
    public void RaiseInterrupt(int intno, ulong delayCycles) => cluster.RaiseInterrupt(intno, delayCycles);

    /// <summary>Records what a supervisor saw of its remote child (its per-VM outcome).</summary>
    public void ReportRemoteChildExit(long handle, long status) => cluster.RecordRemoteChildExit(handle, status);

    /// <summary>Records what the booter saw of a child VM (the run's per-VM outcome).</summary>
    public void ReportChildExit(int vmidx, long status) => cluster.RecordChildExit(vmidx, status);

    /// <summary>The handle for VMOP calls on a child VM that lives on another cluster.</summary>
    public long RemoteChildHandle(string childName) => cluster.RemoteChildHandle(childName);

    /// <summary>The booter hands a VM with a remote parent to that parent.</summary>
    public void LinkRemoteParent(int vmidx, VmDefinition child) => cluster.LinkRemoteParent(vmidx, child);

    /// <summary>A VM the booter configured again lives in a new slot: its boots so far go with it.</summary>
    public void RebindChild(int oldVmidx, int newVmidx, VmDefinition definition) => cluster.RebindChild(oldVmidx, newVmidx, definition);

    /// <summary>The VM definition the booter boots into slot <paramref name="vmidx"/>.</summary>
    public void BindChild(int vmidx, VmDefinition definition) => cluster.BindChild(vmidx, definition);
}
