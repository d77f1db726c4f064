using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Safety invariants checked after every kernel critical section (architecture.md §9, h2-domain.md
/// §13): membership (each context in exactly the place its status says), num_cpus = live contexts,
/// runlist/status agreement, ASID counts ≥ 0, no freed vmblock still referenced.
/// Throws <see cref="KernelInvariantException"/> naming the invariant.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Contexts a full check visits before sampling starts: up to this many, every section is checked.</summary>
    public const int FullCheckContextLimit = 256;

    private readonly Dictionary<ThreadContext, string> placeOf = new(ReferenceEqualityComparer.Instance);
    private ulong sectionsSinceCheck;

    /// <summary>Live contexts of the cluster (kept by create/free), so the check can size itself.</summary>
    public int LiveContextCount { get; private set; }

    /// <summary>
    /// After every critical section. A cluster with more than <see cref="FullCheckContextLimit"/>
    /// live contexts is checked every ⌈live / limit⌉ sections instead (architecture.md §9: cheaper
    /// modes may sample), which keeps the check's cost per section bounded; the sample is by
    /// section count, so it is deterministic.
    /// </summary>
    public void CheckInvariantsAfterSection()
    {
        var every = (ulong)Math.Max(1, (LiveContextCount + FullCheckContextLimit - 1) / FullCheckContextLimit);
        if (++sectionsSinceCheck >= every || TestCorruptionHook is not null)
        {
            sectionsSinceCheck = 0;
            CheckInvariants();
        }
    }

    internal void CountLiveContexts(int delta) => LiveContextCount += delta;

    public void CheckInvariants()
    {
        TestCorruptionHook?.Invoke(this);
        placeOf.Clear();
        for (var prio = 0; prio < KernelConstants.MaxPrios; prio++)
        {
            foreach (var context in Ring.Enumerate(Ready[prio]))
            {
                Place(context, $"ready[{prio}]", ContextStatus.Ready);
                if (context.Prio != prio)
                {
                    Fail("ready-membership", $"{context} with prio {context.Prio} is on ready[{prio}]");
                }
            }
        }

        for (var bucket = 0; bucket < KernelConstants.FutexHashSize; bucket++)
        {
            foreach (var context in Ring.Enumerate(FutexHash[bucket]))
            {
                Place(context, $"futexhash[{bucket}]", ContextStatus.Blocked);
                if (FutexBucket(context.FutexPtr) != bucket)
                {
                    Fail("futex-membership", $"{context} waiting on 0x{context.FutexPtr:x} is in bucket {bucket}");
                }
            }
        }

        for (var h = 0; h < HThreads; h++)
        {
            if (Runlist[h] is { } running)
            {
                Place(running, $"runlist[{h}]", ContextStatus.Running);
                if (running.HThread != h)
                {
                    Fail("runlist", $"{running} is on runlist[{h}] but says hthread {running.HThread}");
                }
            }
        }

        foreach (var (intno, context) in PopupHandlers)
        {
            Place(context, $"inthandlers[{intno}]", ContextStatus.IntBlocked);
        }

        foreach (var vm in VmBlocks)
        {
            if (vm is null)
            {
                continue;
            }

            foreach (var context in Ring.Enumerate(vm.Intpool))
            {
                Place(context, $"{vm} intpool", ContextStatus.IntBlocked);
            }

            CheckVmBlock(vm);
        }

        for (var asid = 0; asid < KernelConstants.MaxAsids; asid++)
        {
            if (AsidCounts[asid] < 0)
            {
                Fail("asid-count", $"ASID {asid} count is {AsidCounts[asid]}");
            }
        }
    }

    private void CheckVmBlock(VmBlock vm)
    {
        var live = 0;
        foreach (var context in vm.Contexts)
        {
            if (context.Status == ContextStatus.Dead)
            {
                continue;
            }

            live++;
            if (vm.Freed)
            {
                Fail("use-after-free", $"{vm} was freed while {context} is {context.Status}");
            }

            var placed = placeOf.ContainsKey(context);
            if (context.Status == ContextStatus.VmWait)
            {
                if (placed)
                {
                    Fail("membership", $"{context} is VMWAIT but sits in {placeOf[context]}");
                }
            }
            else if (!placed)
            {
                Fail("membership", $"{context} is {context.Status} but is in no kernel structure");
            }
        }

        if (!vm.Freed && live != vm.NumCpus)
        {
            Fail("num-cpus", $"{vm} num_cpus = {vm.NumCpus} but {live} contexts are live");
        }
    }

    private void Place(ThreadContext context, string where, ContextStatus expected)
    {
        if (placeOf.TryGetValue(context, out var already))
        {
            Fail("membership", $"{context} is in {already} and in {where}");
        }

        placeOf[context] = where;
        if (context.Status != expected)
        {
            Fail("membership", $"{context} is {context.Status} but sits in {where}");
        }
    }

    private static void Fail(string invariant, string message) => throw new KernelInvariantException(invariant, message);
}
