using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Safety invariants (architecture.md §9, h2-domain.md §13). Every link and unlink is a paired
/// assertion (ThreadContext.LinkInto / UnlinkFrom), and the *Locked functions assert the BKL. After
/// each critical section the contexts it changed are checked — status against the structure it
/// sits in, the runlist slot against its context — and every vmblock's num_cpus against its live
/// contexts: a cost that follows the section, not the system. The full scan
/// (<see cref="CheckInvariants"/>) runs at the end of a run and, with `--check full`, after every
/// section. Throws <see cref="KernelInvariantException"/> naming the invariant.
/// </summary>
public sealed partial class Kernel
{
    private readonly Dictionary<ThreadContext, string> placeOf = new(ReferenceEqualityComparer.Instance);

    /// <summary>Also run the full scan after every section (`--check full`).</summary>
    public bool FullCheckEverySection { get; set; }

    /// <summary>After every critical section: the section's own checks, and the full scan when asked.</summary>
    public void CheckAfterSection()
    {
        TestCorruptionHook?.Invoke(this);
        CheckSection();
        if (FullCheckEverySection)
        {
            CheckState();
        }
    }

    /// <summary>What the section changed: each logged context, the runlist, and every vmblock's count.</summary>
    internal void CheckSection()
    {
        for (var i = 0; i < sectionLog.Count; i++)
        {
            CheckContext(sectionLog[i]);
        }

        for (var h = 0; h < HThreads; h++)
        {
            if (Runlist[h] is { } running && (running.HThread != h || running.Place != ContextPlace.Runlist || running.Status != ContextStatus.Running))
            {
                Fail("runlist", $"{running} is on runlist[{h}] but says hthread {running.HThread}, place {running.Place}");
            }
        }

        foreach (var vm in VmBlocks)
        {
            if (vm is { Freed: false } && (vm.NumCpus != vm.LiveContexts || vm.NumCpus < 0 || vm.NumCpus > vm.MaxCpus))
            {
                Fail("num-cpus", $"{vm} num_cpus = {vm.NumCpus} but {vm.LiveContexts} contexts are live");
            }
        }
    }

    private void CheckContext(ThreadContext context)
    {
        if (context.Status != ContextStatus.Dead && context.VmBlock.Freed)
        {
            Fail("use-after-free", $"{context.VmBlock} was freed while {context} is {context.Status}");
        }

        if (!context.PlaceMatchesStatus())
        {
            var where = context.Place == ContextPlace.None ? "no kernel structure" : $"{Describe(context.Place)}[{context.PlaceIndex}]";
            Fail("membership", context.Place == ContextPlace.None
                ? $"{context} is {context.Status} but is in no kernel structure"
                : $"{context} is {context.Status} but sits in {where}");
        }

        if (context.Status == ContextStatus.Running && Runlist[context.PlaceIndex] != context)
        {
            Fail("runlist", $"{context} says runlist[{context.PlaceIndex}], which holds {Runlist[context.PlaceIndex]?.ToString() ?? "nothing"}");
        }

        if (context.Status == ContextStatus.Blocked && context.PlaceIndex != FutexBucket(context.FutexPtr))
        {
            Fail("futex-membership", $"{context} waiting on 0x{context.FutexPtr:x} is in bucket {context.PlaceIndex}");
        }
    }

    private static string Describe(ContextPlace place) => place switch
    {
        ContextPlace.Ready => "ready",
        ContextPlace.Futex => "futexhash",
        ContextPlace.Runlist => "runlist",
        ContextPlace.PopupSlot => "inthandlers",
        ContextPlace.Intpool => "intpool",
        _ => "free_threads",
    };

    /// <summary>The full scan of the cluster's state, with the test hook first (tests and the end of a run).</summary>
    public void CheckInvariants()
    {
        TestCorruptionHook?.Invoke(this);
        CheckState();
    }

    private void CheckState()
    {
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

        if (live != vm.LiveContexts)
        {
            Fail("num-cpus", $"{vm} counts {vm.LiveContexts} live contexts but {live} are not DEAD");
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
