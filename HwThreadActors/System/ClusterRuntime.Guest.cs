using H2Sim.HwThreadActors.Guest;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Guest code on an hthread: the context's program (a stack of routines), guest events at the
/// vector, prints, and what guest programs report of the run (boots, child exits, the booter done).
/// </summary>
public sealed partial class ClusterRuntime
{
    // Guest states of cleared contexts, reused for the next thread that starts (no allocation per thread once warm).
    private readonly Stack<GuestExecution> guestPool = new();

    private readonly VmDefinition?[] boundChildren = new VmDefinition?[KernelConstants.MaxVms];

    // Boots of each VM slot so far (the booter reports each VMOP_BOOT): prints are judged per boot.
    private readonly int[] bootsOf = new int[KernelConstants.MaxVms];

    /// <summary>Runs <paramref name="context"/>'s guest code on hthread h until it spends time (a spin, a print) or traps.</summary>
    private void StepGuest(int h, ThreadContext context)
    {
        var exec = ExecutionOf(context);
        if (context.GuestEvent >= 0)
        {
            // A guest event: the handler at gevb runs first; r0 is saved and restored around it.
            context.GuestEvent = -1;
            exec.Push(Crt0.EventHandler, reference: context.Gevb == 0 ? null : Definition.Programs.At(context.Gevb));
        }

        if (exec.SpinRemaining > 0)
        {
            ScheduleSpin(h, exec, exec.SpinRemaining, resumed: true);
            return;
        }

        if (exec.Next() is not { } next)
        {
            EnterKernel(h, new KernelEntry(EntryKind.Trap0, Trap0.ThreadStop));
            return;
        }

        switch (next.Kind)
        {
            case GuestActionKind.Spin:
                ScheduleSpin(h, exec, next.Cycles, resumed: false);
                return;
            case GuestActionKind.Trap:
                EnterKernel(h, next.Entry);
                return;
            default:
                outcome.Print(context.VmBlock.Name, bootsOf[context.VmBlock.Vmidx], next.Text!, cluster, NowCycles);
                ScheduleSpin(h, exec, Definition.Costs.GuestPrintCycles, resumed: false);
                return;
        }
    }

    private GuestExecution ExecutionOf(ThreadContext context)
    {
        if (context.Guest is GuestExecution existing)
        {
            return existing;
        }

        GuestExecution exec;
        if (guestPool.TryPop(out var pooled))
        {
            exec = pooled;
            exec.Thread.Bind(context);
        }
        else
        {
            var thread = new GuestThread(this, context);
            exec = new GuestExecution(thread, guestPool);
            thread.Execution = exec;
            GuestStatesCreated++;
        }

        var entry = Definition.Programs.At(context.EntryPc);
        var main = boundChildren[context.VmBlock.Vmidx] is { } vm && Definition.Programs.PcOf(vm.MainProgram) == context.EntryPc;
        exec.Push(main ? Crt0.Main : Crt0.Thread, reference: entry);
        context.Guest = exec;
        return exec;
    }

    /// <summary>Guest states allocated so far (the pool was empty): with the vmblocks, what the model allocates as it grows.</summary>
    public int GuestStatesCreated { get; private set; }

    /// <summary>
    /// How far this cluster's structure has grown: vmblocks allocated (each with its contexts) and
    /// guest states created, pages of guest memory stored. A window in which it does not change is on
    /// the model's steady path.
    /// </summary>
    public long StructureCount
    {
        get
        {
            long count = Kernel.AllVmBlocks.Count + GuestStatesCreated;
            foreach (var vm in Kernel.AllVmBlocks)
            {
                count += vm.MemoryAllocations;
            }

            return count;
        }
    }

    public long AddressOf(VmBlock vm, string name, int words)
    {
        if (!vm.Symbols.TryGetValue(name, out var address))
        {
            address = Allocate(vm, words);
            vm.Symbols[name] = address;
        }

        return address;
    }

    /// <summary>The next free words of <paramref name="vm"/>'s memory: guest memory is a bump allocator, never reused.</summary>
    public long Allocate(VmBlock vm, int words)
    {
        var address = vm.NextAddress;
        vm.NextAddress += 8L * Math.Max(1, words);
        if (vm.NextAddress > VmBlock.MemoryBase(vm.Vmidx + 1))
        {
            throw new KernelInvariantException("guest-memory", $"{vm} needs more than {VmBlock.MemoryBytesPerSlot} bytes of guest memory");
        }

        return address;
    }

    public void BindChild(int vmidx, VmDefinition definition) => boundChildren[vmidx] = definition;

    public void RebindChild(int oldVmidx, int newVmidx, VmDefinition definition)
    {
        var boots = bootsOf[oldVmidx];
        boundChildren[newVmidx] = definition;
        bootsOf[newVmidx] = boots;
    }

    /// <summary>The booter booted the VM in <paramref name="vmidx"/> (again): later prints count for this boot.</summary>
    public void ReportBoot(int vmidx) => bootsOf[vmidx]++;

    public void ReportBooterDone() => outcome.BootersDone.Add(cluster);

    public void RecordRemoteChildExit(long handle, long status)
    {
        var (childCluster, vmidx) = Kernel.FromRemoteHandle(handle);
        var child = Definition.Vms.First(v => v.Cluster == childCluster && Definition.ExpectedVmidx(v) == vmidx);
        outcome.ChildExited(childCluster, vmidx, child.Name, 1, status);
        outcome.Teardowns.ParentSaw(childCluster, vmidx, NowCycles);
    }

    /// <summary>A guest asked for its own VM's end (exit(), or the library's last pthread_exit).</summary>
    public void TeardownRequested(int vmidx) => outcome.Teardowns.Requested(cluster, cluster, vmidx, NowCycles, openWindow: true);

    /// <summary>A parent asked for its remote child's end (VMOP_KILL_VM on its handle).</summary>
    public void ChildTeardownRequested(long handle)
    {
        var (childCluster, vmidx) = Kernel.FromRemoteHandle(handle);
        outcome.Teardowns.Requested(cluster, childCluster, vmidx, NowCycles, openWindow: childCluster == cluster);
    }

    /// <summary>Kill marks open a VM's BKL window; its last context's stop closes it.</summary>
    private void ObserveTeardown(KernelNote note, VmBlock vm, long b)
    {
        if (note == KernelNote.KillMarked)
        {
            outcome.Teardowns.KillMarked(cluster, vm.Vmidx);
        }
        else if (note == KernelNote.ThreadStopped && b == 0)
        {
            outcome.Teardowns.Drained(cluster, vm.Vmidx, NowCycles);
        }
    }

    public VmDefinition? ChildAt(int vmidx) => boundChildren[vmidx];

    public void RecordChildExit(int vmidx, long status)
    {
        outcome.ChildExited(cluster, vmidx, boundChildren[vmidx]?.Name ?? $"vm{vmidx}", bootsOf[vmidx], status);
        outcome.Teardowns.ParentSaw(cluster, vmidx, NowCycles);
    }

    /// <summary>The handle a supervisor uses in VMOP calls for its child VM on another cluster.</summary>
    public long RemoteChildHandle(string childName)
    {
        var child = Definition.Vms.FirstOrDefault(v => v.Name == childName)
            ?? throw new ArgumentException($"no VM named '{childName}'");
        return Kernel.RemoteHandle(child.Cluster, Definition.ExpectedVmidx(child));
    }

    /// <summary>Makes a just-configured VM the child of a VM on another cluster and tells that cluster.</summary>
    public void LinkRemoteParent(int vmidx, VmDefinition child)
    {
        var parent = Definition.Vms.First(v => v.Name == child.Parent);
        var vm = Kernel.VmBlocks[vmidx]!;
        vm.RemoteParent = new RemoteParentLink(parent.Cluster, Definition.ExpectedVmidx(parent));
        Kernel.AnnounceRemoteChild(vm);
    }
}
