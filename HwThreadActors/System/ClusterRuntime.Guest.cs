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
    private readonly VmDefinition?[] boundChildren = new VmDefinition?[KernelConstants.MaxVms];

    // Boots of each VM slot so far (the booter reports each VMOP_BOOT): prints are judged per boot.
    private readonly int[] bootsOf = new int[KernelConstants.MaxVms];

    /// <summary>One guest step of <paramref name="context"/> on hthread h; false once it spent time or trapped.</summary>
    private bool StepGuest(int h, ThreadContext context)
    {
        var exec = ExecutionOf(context);
        if (context.GuestEvent >= 0)
        {
            // A guest event: the handler at gevb runs first; r0 is saved and restored around it.
            context.GuestEvent = -1;
            exec.Push(WithSavedR0(context, HandlerFor(context, exec.Thread)));
        }

        if (exec.SpinRemaining > 0)
        {
            ScheduleSpin(h, exec, exec.SpinRemaining);
            return false;
        }

        if (exec.Next() is not { } next)
        {
            EnterKernel(h, new KernelEntry(EntryKind.Trap0, Trap0.ThreadStop));
            return false;
        }

        switch (next.Kind)
        {
            case GuestActionKind.Spin when next.Cycles == 0:
                return true;
            case GuestActionKind.Spin:
                ScheduleSpin(h, exec, next.Cycles);
                return false;
            case GuestActionKind.Trap:
                EnterKernel(h, next.Entry);
                return false;
            case GuestActionKind.Print:
                outcome.Print(context.VmBlock.Name, bootsOf[context.VmBlock.Vmidx], next.Text!);
                ScheduleSpin(h, exec, Definition.Costs.GuestPrintCycles);
                return false;
            default:
                exec.Push(next.Routine!);
                return true;
        }
    }

    private GuestExecution ExecutionOf(ThreadContext context)
    {
        if (context.Guest is GuestExecution existing)
        {
            return existing;
        }

        var thread = new GuestThread(this, context);
        var exec = new GuestExecution(thread);
        var (_, program) = Definition.Programs.At(context.EntryPc);
        var main = boundChildren[context.VmBlock.Vmidx] is { } vm && Definition.Programs.PcOf(vm.MainProgram) == context.EntryPc;
        exec.Push(main ? RunMain(program, thread) : RunThread(program, thread));
        context.Guest = exec;
        return exec;
    }

    /// <summary>crt0: return from main is exit(0).</summary>
    private static IEnumerable<GuestAction> RunMain(GuestProgram program, GuestThread thread)
    {
        yield return GuestAction.Call(program(thread));
        yield return GuestAction.Call(GuestLib.SysExit(thread, 0));
    }

    /// <summary>A raw thread that returns stops itself.</summary>
    private static IEnumerable<GuestAction> RunThread(GuestProgram program, GuestThread thread)
    {
        yield return GuestAction.Call(program(thread));
        yield return GuestAction.Trap0(Trap0.ThreadStop, 0);
    }

    private IEnumerable<GuestAction> HandlerFor(ThreadContext context, GuestThread thread)
    {
        if (context.Gevb == 0)
        {
            // No vector set: the event is dropped by a guest that never asked for one.
            return [GuestAction.VmTrap(Trap1.Return)];
        }

        return Definition.Programs.At(context.Gevb).Program(thread);
    }

    private static IEnumerable<GuestAction> WithSavedR0(ThreadContext context, IEnumerable<GuestAction> handler)
    {
        var saved = context.R00;
        foreach (var action in handler)
        {
            yield return action;
        }

        context.R00 = saved;
    }

    public long AddressOf(VmBlock vm, string name, int words)
    {
        if (!vm.Symbols.TryGetValue(name, out var address))
        {
            address = vm.NextAddress;
            vm.NextAddress += 8L * Math.Max(1, words);
            if (vm.NextAddress > VmBlock.MemoryBase(vm.Vmidx + 1))
            {
                throw new KernelInvariantException("guest-memory", $"{vm} needs more than {VmBlock.MemoryBytesPerSlot} bytes of named objects");
            }

            vm.Symbols[name] = address;
        }

        return address;
    }

    public void BindChild(int vmidx, VmDefinition definition) => boundChildren[vmidx] = definition;

    /// <summary>The booter booted the VM in <paramref name="vmidx"/> (again): later prints count for this boot.</summary>
    public void ReportBoot(int vmidx) => bootsOf[vmidx]++;

    public void ReportBooterDone() => outcome.BootersDone.Add(cluster);

    public void RecordRemoteChildExit(long handle, long status)
    {
        var (childCluster, vmidx) = Kernel.FromRemoteHandle(handle);
        var child = Definition.Vms.First(v => v.Cluster == childCluster && Definition.ExpectedVmidx(v) == vmidx);
        outcome.ChildExited(childCluster, vmidx, child.Name, 1, status);
    }

    public VmDefinition? ChildAt(int vmidx) => boundChildren[vmidx];

    public void RecordChildExit(int vmidx, long status) =>
        outcome.ChildExited(cluster, vmidx, boundChildren[vmidx]?.Name ?? $"vm{vmidx}", bootsOf[vmidx], status);

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
