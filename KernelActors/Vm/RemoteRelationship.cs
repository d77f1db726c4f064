using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The one extension beyond real H2 (architecture.md §2): a parent VM on another cluster. The
/// relationship is carried by interconnect messages with a latency — CHILDINT up, KILL and FREE
/// down — and each side keeps what it can know: the child's vmblock tracks whether its remote
/// parent is alive (told by a PARENT_GONE message), the parent's kernel caches each remote child's
/// last status and num_cpus (carried by CHILDINT) for VMOP_STATUS. A remote child is named in
/// VMOP calls by a handle ≥ 64 (64 + cluster·64 + vmidx), which real H2 would refuse. Message
/// arrivals run as kernel work under the receiving cluster's BKL.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Remote children of this cluster's VMs, by handle: what the last CHILDINT said.</summary>
    public SortedDictionary<long, RemoteChild> RemoteChildren { get; } = new();

    public static long RemoteHandle(int cluster, int vmidx) => KernelConstants.MaxVms + (cluster * KernelConstants.MaxVms) + vmidx;

    public static (int Cluster, int Vmidx) FromRemoteHandle(long handle) =>
        ((int)((handle - KernelConstants.MaxVms) / KernelConstants.MaxVms), (int)((handle - KernelConstants.MaxVms) % KernelConstants.MaxVms));

    /// <summary>Is the parent a live context? Local: look it up; remote: what the relationship was told.</summary>
    private bool ParentAlive(VmBlock vm)
    {
        if (vm.RemoteParent is { } remote)
        {
            return remote.Alive;
        }

        var parent = IdToContext(vm.Parent);
        return vm.Parent != ThreadId.None && parent is not null && parent.Status != ContextStatus.Dead;
    }

    /// <summary>CHILDINT to the parent: a local message, or an interconnect one carrying status and num_cpus.</summary>
    private void NotifyParent(VmBlock vm, long status)
    {
        if (vm.RemoteParent is { } remote)
        {
            effects.SendRemote(vm, remote.Cluster, remote.Vmidx, RemoteMessage.ChildInt, vm.Vmidx, status, vm.NumCpus);
            return;
        }

        effects.SendChildInt(vm, vm.Parent, status);
    }

    /// <summary>The child side announces itself once booted, so the parent knows whom to tell when it dies.</summary>
    public void AnnounceRemoteChild(VmBlock child)
    {
        if (child.RemoteParent is { } remote)
        {
            effects.SendRemote(child, remote.Cluster, remote.Vmidx, RemoteMessage.ChildBooted, child.Vmidx, 0, child.NumCpus);
        }
    }

    /// <summary>A message of the relationship reached this cluster (BKL held).</summary>
    public void RemoteArrived(RemoteMessage kind, int localVmidx, int fromCluster, long a, long b, long c)
    {
        Charge(Costs.CpuintPost);
        switch (kind)
        {
            case RemoteMessage.ChildBooted:
            case RemoteMessage.ChildInt:
                RemoteChildIntArrived(localVmidx, fromCluster, (int)a, b, (int)c, kind == RemoteMessage.ChildInt);
                return;
            case RemoteMessage.Kill:
                if (VmBlockOf((uint)localVmidx) is { Freed: false, RemoteParent: not null } victim)
                {
                    victim.Status = b;
                    foreach (var context in victim.Contexts)
                    {
                        KillThreadLocked(context);
                    }

                    // kill_thread_locked makes victims READY without check_sanity; a local killer's
                    // own next dosched picks them up, but on this cluster nothing may be running. The
                    // arriving KILL is handled like an interrupt, which ends in check_sanity.
                    CheckSanity();
                }

                return;
            case RemoteMessage.Free:
                if (VmBlockOf((uint)localVmidx) is { Freed: false, NumCpus: 0, RemoteParent: not null } freed)
                {
                    FreeVmBlock(freed);
                    VmBlocks[localVmidx] = null;
                }

                return;
            case RemoteMessage.ParentGone:
                if (VmBlockOf((uint)localVmidx) is { RemoteParent: { } parent } orphan)
                {
                    parent.Alive = false;
                    if (orphan.NumCpus == 0 && !orphan.Freed)
                    {
                        FreeVmBlock(orphan);
                    }
                }

                return;
        }
    }

    private void RemoteChildIntArrived(int parentVmidx, int childCluster, int childVmidx, long status, int numCpus, bool post)
    {
        var handle = RemoteHandle(childCluster, childVmidx);
        if (!RemoteChildren.TryGetValue(handle, out var child))
        {
            child = new RemoteChild(childCluster, childVmidx, parentVmidx);
            RemoteChildren[handle] = child;
        }

        if (!post)
        {
            // CHILD_BOOTED only introduces the child: its num_cpus stays unknown (-1) until a CHILDINT says.
            return;
        }

        child.Status = status;
        child.NumCpus = numCpus;
        var parentVm = VmBlockOf((uint)parentVmidx);
        if (parentVm is null || parentVm.Freed)
        {
            return;
        }

        // The parent thread is the VM's first (cpuidx max_cpus-1, §3.2).
        var parent = parentVm.Contexts[parentVm.MaxCpus - 1];
        if (parent.Status != ContextStatus.Dead)
        {
            VmCpuintPostLocked(parent, KernelConstants.VmChildInt);
        }
    }

    /// <summary>VMOP on a remote child handle: STATUS reads the cache; KILL_VM and FREE send a message and return 0.</summary>
    private long VmOpRemote(ThreadContext me, int op, long handle, long a2)
    {
        if (!RemoteChildren.TryGetValue(handle, out var child) || child.ParentVmidx != me.VmBlock.Vmidx)
        {
            return -1;
        }

        switch (op)
        {
            case VmOp.Status:
                return a2 == VmOp.StatusCpus ? child.NumCpus : child.Status;
            case VmOp.KillVm:
                effects.SendRemote(me.VmBlock, child.Cluster, child.Vmidx, RemoteMessage.Kill, me.Id.Raw, a2, 0);
                return 0;
            case VmOp.Free:
                if (child.NumCpus != 0)
                {
                    return -1;
                }

                effects.SendRemote(me.VmBlock, child.Cluster, child.Vmidx, RemoteMessage.Free, me.Id.Raw, 0, 0);
                RemoteChildren.Remove(handle);
                return 0;
            default:
                return -1;
        }
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

/// <summary>Messages of the cross-cluster relationship.</summary>
public enum RemoteMessage
{
    ChildInt = 1,
    Kill = 2,
    Free = 3,
    ParentGone = 4,
    ChildBooted = 5,
}

/// <summary>What the parent's kernel knows of a child VM on another cluster.</summary>
public sealed class RemoteChild(int cluster, int vmidx, int parentVmidx)
{
    public int Cluster { get; } = cluster;

    public int Vmidx { get; } = vmidx;

    public int ParentVmidx { get; } = parentVmidx;

    public long Status { get; set; }

    public int NumCpus { get; set; } = -1;
}

/// <summary>The child's side of a remote relationship.</summary>
public sealed class RemoteParentLink(int cluster, int vmidx)
{
    public int Cluster { get; } = cluster;

    public int Vmidx { get; } = vmidx;

    public bool Alive { get; set; } = true;
}
