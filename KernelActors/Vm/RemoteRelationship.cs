using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The one extension beyond real H2 (architecture.md §2): a parent VM on another cluster. The
/// relationship is carried by interconnect messages with a latency and adds nothing the local
/// paths lack: the parent reads a child's status and num_cpus from the live vmblock (a
/// VMOP_STATUS round trip, answered as H2K_vmop_status answers it), KILL_VM and FREE run
/// H2K_vmop_kill_vm's and H2K_vmop_free's bodies on the child's cluster, and CHILDINT is
/// thread_stop's post on the parent's. A remote child is named in VMOP calls by a handle ≥ 64
/// (64 + cluster·64 + vmidx), which real H2 would refuse; the parent's kernel knows a child once
/// its CHILD_BOOTED message has arrived.
///
/// An arriving message lands in the receiving cluster's mailbox and raises the mailbox interrupt
/// (<see cref="KernelConstants.InterconnectInt"/>), steered like RESCHED_INT. Its handler is the
/// kernel path a proxy thread of the remote caller would take on this cluster, built from H2's own
/// paths: woken by the interrupt as a popup waiter is (the interrupted context preempted to the
/// ready list, or the idle bit cleared), it runs each queued operation's body under the BKL, then
/// waits again, which is a dosched. So a remote kill's victims are scheduled exactly as a local
/// caller's next dosched schedules them, and no check_sanity or wake is added.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Interconnect messages that arrived and wait for the mailbox interrupt's handler, in arrival order.</summary>
    public Queue<RemoteArrival> InterconnectMailbox { get; } = new();

    /// <summary>The mailbox interrupt's handler (BKL held by the entry): preempt, run every queued message, dosched.</summary>
    internal void InterconnectInt(ThreadContext? me, int hthread)
    {
        Charge(Costs.PopupIntCycles);
        if (me is not null)
        {
            RunlistRemove(me);
            ReadyAppend(me);
        }
        else
        {
            LeaveIdle(hthread);
        }

        while (InterconnectMailbox.TryDequeue(out var message))
        {
            RemoteArrived(message.Kind, message.LocalVmidx, message.FromCluster, message.A, message.B, message.C);
        }

        Dosched(me, hthread);
    }

    /// <summary>Remote children of this cluster's VMs, by handle (registered by CHILD_BOOTED).</summary>
    internal SortedDictionary<long, RemoteChild> RemoteChildren { get; } = new();

    /// <summary>True when this section's hthread now waits for the answer to a remote VMOP_STATUS.</summary>
    public bool AwaitsRemoteReply { get; private set; }

    public static long RemoteHandle(int cluster, int vmidx) => KernelConstants.MaxVms + (cluster * KernelConstants.MaxVms) + vmidx;

    public static (int Cluster, int Vmidx) FromRemoteHandle(long handle) =>
        ((int)((handle - KernelConstants.MaxVms) / KernelConstants.MaxVms), (int)((handle - KernelConstants.MaxVms) % KernelConstants.MaxVms));

    /// <summary>Is <paramref name="op"/> with these arguments a VMOP on a known remote child?</summary>
    private bool IsRemoteVmOp(int op, long a1, long a2)
    {
        var handle = op switch
        {
            VmOp.Status => a2,
            VmOp.Free or VmOp.KillVm => a1,
            _ => 0,
        };
        return handle >= KernelConstants.MaxVms && RemoteChildren.ContainsKey(handle);
    }

    /// <summary>Is the parent a live context? Local: H2K_id_to_context; remote: what PARENT_GONE told.</summary>
    private bool ParentAlive(VmBlock vm)
    {
        if (vm.RemoteParent is { } remote)
        {
            return remote.Alive;
        }

        var parent = IdToContext(vm.Parent, "thread_stop: H2K_id_to_context(vmblock->parent)");
        return parent is not null && parent.Status != ContextStatus.Dead;
    }

    /// <summary>The child side announces itself once booted, so the parent's kernel knows the handle.</summary>
    public void AnnounceRemoteChild(VmBlock child)
    {
        if (child.RemoteParent is { } remote)
        {
            effects.SendRemote(child, remote.Cluster, remote.Vmidx, RemoteMessage.ChildBooted, child.Vmidx, 0, 0);
        }
    }

    /// <summary>VMOP on a remote child: STATUS asks the child's kernel and waits; KILL_VM and FREE send and return 0.</summary>
    private long VmOpRemote(ThreadContext me, int op, long handle, long a2)
    {
        if (!RemoteChildren.TryGetValue(handle, out var child) || child.ParentVmidx != me.VmBlock.Vmidx)
        {
            return -1;
        }

        if (Variant == Config.KernelVariant.Review && ExitRecordOp(me, op, handle, a2) is { } answered)
        {
            return answered;
        }

        switch (op)
        {
            case VmOp.Status:
                effects.SendRemote(me.VmBlock, child.Cluster, child.Vmidx, RemoteMessage.StatusRead, a2, me.HThread, 0);
                AwaitsRemoteReply = true;
                return -1;
            case VmOp.KillVm:
                effects.SendRemote(me.VmBlock, child.Cluster, child.Vmidx, RemoteMessage.Kill, a2, 0, 0);
                return 0;
            default:
                effects.SendRemote(me.VmBlock, child.Cluster, child.Vmidx, RemoteMessage.Free, 0, 0, 0);
                return 0;
        }
    }

    /// <summary>A message of the relationship, taken from the mailbox (BKL held by the mailbox interrupt's handler).</summary>
    internal void RemoteArrived(RemoteMessage kind, int localVmidx, int fromCluster, long a, long b, long c)
    {
        switch (kind)
        {
            case RemoteMessage.ChildBooted:
                RemoteChildren[RemoteHandle(fromCluster, (int)a)] = new RemoteChild(fromCluster, (int)a, localVmidx);
                return;
            case RemoteMessage.ChildInt:
                RemoteChildIntArrived(localVmidx);
                return;
            case RemoteMessage.ChildExited:
                RecordRemoteChildExit(localVmidx, RemoteHandle(fromCluster, (int)a), b);
                RemoteChildIntArrived(localVmidx);
                return;
            case RemoteMessage.StatusRead:
                effects.SendRemoteReply(localVmidx, fromCluster, (int)b, RemoteVmOpStatus(localVmidx, (int)a));
                return;
            case RemoteMessage.Kill:
                RemoteVmOpKillVm(localVmidx, a);
                return;
            case RemoteMessage.Free:
                RemoteVmOpFree(localVmidx);
                return;
            case RemoteMessage.ParentGone:
                if (VmBlockOf((uint)localVmidx) is { RemoteParent: { } parent } orphan)
                {
                    AssertNotFreed(orphan, "PARENT_GONE");
                    parent.Alive = false;
                }

                return;
        }
    }

    /// <summary>H2K_vmop_status's body for the remote parent: a NULL slot is -1, a freed block a use-after-free.</summary>
    private long RemoteVmOpStatus(int vmidx, int what)
    {
        Charge(Costs.VmOpCycles);
        var vm = VmBlockOf((uint)vmidx);
        if (vm is null)
        {
            return -1;
        }

        AssertNotFreed(vm, "VMOP_STATUS from the remote parent");
        return what == VmOp.StatusCpus ? vm.NumCpus : vm.Status;
    }

    /// <summary>H2K_vmop_kill_vm's body: a NULL slot is success; stamp the status, kill every slot.</summary>
    private void RemoteVmOpKillVm(int vmidx, long status)
    {
        Charge(Costs.VmOpCycles);
        var vm = VmBlockOf((uint)vmidx);
        if (vm is null)
        {
            return;
        }

        AssertNotFreed(vm, "VMOP_KILL_VM from the remote parent");
        KillVmLocked(vm, status, skip: null);
    }

    /// <summary>H2K_vmop_free's body: a NULL slot or live contexts refuse; otherwise free and NULL the slot.</summary>
    private void RemoteVmOpFree(int vmidx)
    {
        Charge(Costs.VmOpCycles);
        var vm = VmBlockOf((uint)vmidx);
        if (vm is null || (!vm.Freed && vm.NumCpus > 0))
        {
            return;
        }

        FreeVmBlock(vm);
        VmBlocks[vmidx] = null;
    }

    /// <summary>CHILDINT over the interconnect: post to the parent VM's first thread (cpuidx max_cpus-1, §3.2) if it lives.</summary>
    private void RemoteChildIntArrived(int parentVmidx)
    {
        Charge(Costs.CpuintPostCycles);
        var parentVm = VmBlockOf((uint)parentVmidx);
        if (parentVm is not null)
        {
            AssertNotFreed(parentVm, "CHILDINT from a remote child");
        }

        var parent = parentVm?.Contexts[parentVm.MaxCpus - 1];
        var alive = parent is not null && parent.Status != ContextStatus.Dead;
        if (alive)
        {
            VmCpuintPostLocked(parent!, KernelConstants.VmChildInt);
        }

        effects.ChildIntHandled(parentVmidx, alive);
    }

    /// <summary>The parent thread of remote children died: tell each child's relationship.</summary>
    private void ParentContextStopped(ThreadContext context)
    {
        if (RemoteChildren.Count == 0 || context.Cpuidx != (uint)(context.VmBlock.MaxCpus - 1))
        {
            return;
        }

        foreach (var child in RemoteChildren.Values)
        {
            if (child.ParentVmidx == context.VmBlock.Vmidx)
            {
                effects.SendRemote(context.VmBlock, child.Cluster, child.Vmidx, RemoteMessage.ParentGone, 0, 0, 0);
            }
        }
    }
}

/// <summary>An interconnect message in the receiving cluster's mailbox: what it is, for which local vmblock, from where.</summary>
public readonly record struct RemoteArrival(RemoteMessage Kind, int LocalVmidx, int FromCluster, long A, long B, long C);

/// <summary>Messages of the cross-cluster relationship.</summary>
public enum RemoteMessage
{
    ChildInt = 1,
    Kill = 2,
    Free = 3,
    ParentGone = 4,
    ChildBooted = 5,

    /// <summary>Parent → child vmblock: VMOP_STATUS (a = what, b = the asking hthread).</summary>
    StatusRead = 6,

    /// <summary>Child vmblock → the asking hthread: the value VMOP_STATUS returns (a).</summary>
    StatusReply = 7,

    /// <summary>[V] auto-free: the child freed itself at num_cpus 0 (a = its vmidx, b = its status); the parent records it, then CHILDINT.</summary>
    ChildExited = 8,
}

/// <summary>A child VM on another cluster that a VM of this cluster parents.</summary>
public sealed class RemoteChild(int cluster, int vmidx, int parentVmidx)
{
    public int Cluster { get; } = cluster;

    public int Vmidx { get; } = vmidx;

    public int ParentVmidx { get; } = parentVmidx;
}

/// <summary>The child's side of a remote relationship.</summary>
public sealed class RemoteParentLink(int cluster, int vmidx)
{
    public int Cluster { get; } = cluster;

    public int Vmidx { get; } = vmidx;

    public bool Alive { get; set; } = true;
}
