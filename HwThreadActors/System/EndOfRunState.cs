using System.Globalization;
using System.Numerics;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// What one cluster looks like when the run ends (architecture.md §9, h2-domain.md §13.9): every
/// live context of every VM, the booter and supervisors included, with what it waits on and who
/// could wake it; every vmblock ever allocated with its num_cpus and freed state; every interrupt
/// left pending with its steering and why no hthread took it; and the conservation checks — a
/// vmblock drained but never freed is a leak, and each parent's CHILDINTs must balance.
/// </summary>
public static class EndOfRunState
{
    public static void Describe(ClusterRuntime cluster, ModelReport report, bool booterDone)
    {
        var kernel = cluster.Kernel;
        foreach (var vm in kernel.AllVmBlocks)
        {
            report.VmStates.Add(StateOf(kernel, vm));

            // A booter that saw every child done parks for good (the real one ends the simulation).
            if (vm.Freed || (booterDone && vm.Vmidx == KernelConstants.BootVmIndex))
            {
                continue;
            }

            foreach (var context in vm.Contexts)
            {
                if (context.Status != ContextStatus.Dead)
                {
                    report.Stranded.Add(Describe(kernel, context));
                }
            }
        }

        for (var intno = kernel.PendingInterrupts.NextAtOrAbove(0); intno >= 0; intno = kernel.PendingInterrupts.NextAtOrAbove(intno + 1))
        {
            report.PendingInterrupts.Add(new PendingInterrupt
            {
                Cluster = (uint)kernel.Cluster,
                InterruptNumber = (uint)intno,
                NotTakenMask = kernel.IAssign[intno],
                WhyNotTaken = WhyNotTaken(kernel, intno),
            });
        }

        report.KernelWaits.AddRange(cluster.KernelWaits());
    }

    /// <summary>Vmblocks that drained but were never freed (the boot VM is never freed, by design).</summary>
    public static IEnumerable<VmBlock> Leaks(Kernel kernel) =>
        kernel.AllVmBlocks.Where(vm => !vm.Freed && vm.NumCpus == 0 && vm.Vmidx != KernelConstants.BootVmIndex);

    private static VmState StateOf(Kernel kernel, VmBlock vm) => new()
    {
        Cluster = (uint)kernel.Cluster,
        Vm = (uint)vm.Vmidx,
        Name = vm.Name,
        NumCpus = (uint)vm.NumCpus,
        MaxCpus = (uint)vm.MaxCpus,
        Freed = vm.Freed,
        Parent = vm.RemoteParent is { } remote ? $"cluster {remote.Cluster} vm {remote.Vmidx}" : vm.Parent.ToString(),
    };

    private static Stranded Describe(Kernel kernel, ThreadContext context)
    {
        var (waitsOn, wake) = context.Status switch
        {
            ContextStatus.Blocked => DescribeFutex(kernel, context),
            ContextStatus.IntBlocked => DescribeInt(kernel, context),
            ContextStatus.VmWait => ("vmwait", "any per-vCPU interrupt enabled for it"),
            ContextStatus.Ready => ("nothing (READY, not scheduled)", "the scheduler: a check_sanity or a dosched on this cluster"),
            _ => ("nothing (RUNNING)", "itself"),
        };
        return new Stranded
        {
            Cluster = (uint)kernel.Cluster,
            Vm = (uint)context.VmBlock.Vmidx,
            Cpuidx = context.Cpuidx,
            Status = context.Status.ToString().ToUpperInvariant(),
            WaitsOn = waitsOn,
            WhoCouldWake = wake,
        };
    }

    private static (string, string) DescribeFutex(Kernel kernel, ThreadContext context)
    {
        var vm = context.VmBlock;
        var address = context.FutexPtr;
        var symbol = vm.Symbols.FirstOrDefault(s => s.Value == address).Key;
        var name = symbol is null ? $"futex 0x{address:x}" : $"futex 0x{address:x} ({symbol})";
        if (symbol == Guest.Booter.WakeSignalName)
        {
            return (name, "a CHILDINT (14): the booter's ISR sets this signal, then it reads each child's VMOP_STATUS");
        }

        var word = vm.Read(address);
        var runnable = vm.Contexts.Where(c => c.Status is ContextStatus.Running or ContextStatus.Ready && c != context).Select(c => c.Id.ToString()).ToList();
        var owner = new ThreadId(unchecked((uint)word) & ~0x1Fu);
        var isPi = owner.Vmidx == (uint)vm.Vmidx && owner.Raw != 0;
        var ownerContext = isPi && owner.Cpuidx < (uint)vm.MaxCpus ? vm.Contexts[owner.Cpuidx] : null;
        var waker = isPi
            ? $"FUTEX_UNLOCK_PI by the owner {owner} ({ownerContext?.Status.ToString().ToUpperInvariant() ?? "gone"})"
            : "a FUTEX_WAKE on it";
        var who = runnable.Count == 0
            ? $"{waker}; no thread of VM {vm.Vmidx} is left that could do it"
            : $"{waker} by one of {string.Join(", ", runnable)}";
        return (isPi ? $"lock_pi on {name}" : name, who);
    }

    private static (string, string) DescribeInt(Kernel kernel, ThreadContext context)
    {
        foreach (var (intno, waiter) in kernel.PopupHandlers)
        {
            if (waiter == context)
            {
                return ($"popup interrupt {intno}", $"hardware interrupt {intno}");
            }
        }

        var bound = kernel.IntpoolHandlers.Where(b => b.Value == context.VmBlock).Select(b => b.Key.ToString(CultureInfo.InvariantCulture)).ToList();
        return ("intpool", bound.Count == 0 ? "nothing: no interrupt is bound to this VM's intpool" : $"hardware interrupt {string.Join(" or ", bound)} (bound to this VM's intpool)");
    }

    /// <summary>Why nobody took a pending interrupt: where its steering points, and what those hthreads were doing.</summary>
    private static string WhyNotTaken(Kernel kernel, int intno)
    {
        var steered = ~kernel.IAssign[intno] & kernel.AllHThreadsMask;
        if (steered == 0)
        {
            return "iassignw steers it to no hthread";
        }

        var general = intno is KernelConstants.ReschedInt or KernelConstants.TimerInt;
        var parts = new List<string>();
        for (var mask = steered; mask != 0; mask &= mask - 1)
        {
            var h = BitOperations.TrailingZeroCount(mask);
            var state = kernel.HThreadStates[h];
            var masked = general && (kernel.PrioMask & (1UL << h)) == 0;
            parts.Add(masked ? $"hthread {h} masks it (IMASK: not low priority, not idle)" : $"hthread {h} {state.Mode}");
        }

        return string.Join("; ", parts);
    }
}
