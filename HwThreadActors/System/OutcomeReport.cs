using System.Globalization;
using H2Sim.Core.Model;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Turns what the partitions saw into the run's outcome (architecture.md §9, h2-domain.md §13.9):
/// violation and deadlock first (earliest wins), then an Angel exit, then per VM: exit with the
/// status the booter saw, else timeout at the horizon or hang at quiescence, with each stranded
/// context: VM, cpuidx, status, what it waits on and who could wake it.
/// </summary>
public static class OutcomeReport
{
    public static ModelReport ForPartition(SystemOutcome outcome, IEnumerable<ClusterRuntime?> clusters, ulong endCycles)
    {
        var report = new ModelReport { EndCycles = endCycles };
        report.Printed.AddRange(outcome.Printed);
        if (outcome.FailureKind is not null)
        {
            report.OutcomeKind = outcome.FailureKind;
            report.Detail = outcome.FailureDetail;
            report.ViolationInvariant = outcome.Invariant ?? string.Empty;
            report.ViolationCycles = outcome.FailureCycles;
        }
        else if (outcome.AngelExitCode is { } code)
        {
            report.OutcomeKind = "angel-exit";
            report.Detail = $"{outcome.AngelExitVm}: exit({code}) ends the simulation through Angel SYS_EXIT";
            report.Figures["angel-exit-code"] = code.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var ((cluster, vmidx), (name, status)) in outcome.ChildExits)
        {
            report.Vms.Add(new VmOutcome { Vm = (uint)vmidx, Name = name, Kind = "exit", Status = status });
            report.Figures[$"exited:{cluster}:{name}"] = status.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var cluster in clusters)
        {
            if (cluster is null)
            {
                continue;
            }

            foreach (var context in cluster.Kernel.LiveContexts())
            {
                if (context.VmBlock.Vmidx == KernelConstants.BootVmIndex)
                {
                    continue;
                }

                report.Stranded.Add(Describe(cluster, context));
            }
        }

        return report;
    }

    public static ModelReport Merge(SystemDefinition definition, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles)
    {
        var merged = new ModelReport { EndCycles = endCycles };
        foreach (var report in reports)
        {
            merged.Printed.AddRange(report.Printed);
            merged.Stranded.AddRange(report.Stranded);
            foreach (var (key, value) in report.Figures)
            {
                merged.Figures[key] = value;
            }
        }

        var failure = reports.Where(r => r.OutcomeKind is "violation" or "deadlock").OrderBy(r => r.ViolationCycles).FirstOrDefault();
        var angel = reports.FirstOrDefault(r => r.OutcomeKind == "angel-exit");
        var exits = reports.SelectMany(r => r.Vms).ToList();
        var pendingKind = reason == RunEndReason.Horizon ? "timeout" : "hang";
        foreach (var vm in definition.Vms)
        {
            var exited = merged.Figures.TryGetValue($"exited:{vm.Cluster}:{vm.Name}", out var status);
            var outcome = new VmOutcome
            {
                Name = vm.Name,
                Kind = exited ? "exit" : failure?.OutcomeKind ?? angel?.OutcomeKind ?? pendingKind,
                Status = exited ? long.Parse(status!, CultureInfo.InvariantCulture) : 0,
                Vm = exits.FirstOrDefault(e => e.Name == vm.Name)?.Vm ?? 0,
            };
            if (!exited)
            {
                outcome.Stranded.AddRange(merged.Stranded.Where(s => s.Cluster == (uint)vm.Cluster));
            }

            merged.Vms.Add(outcome);
        }

        if (failure is not null)
        {
            merged.OutcomeKind = failure.OutcomeKind;
            merged.Detail = failure.Detail;
            merged.ViolationInvariant = failure.ViolationInvariant;
            merged.ViolationCycles = failure.ViolationCycles;
        }
        else if (angel is not null)
        {
            merged.OutcomeKind = "angel-exit";
            merged.Detail = angel.Detail;
        }
        else if (merged.Vms.All(v => v.Kind == "exit"))
        {
            merged.OutcomeKind = "exit";
            merged.Detail = string.Join(", ", merged.Vms.Select(v => $"{v.Name} status 0x{v.Status:x}"));
        }
        else
        {
            merged.OutcomeKind = pendingKind;
            merged.Detail = pendingKind == "timeout"
                ? $"the horizon (cycle {endCycles}) was reached before every VM drained"
                : $"quiescent at cycle {endCycles} with {merged.Stranded.Count} live context(s): the booter waits for a CHILDINT that never comes";
        }

        return merged;
    }

    private static Stranded Describe(ClusterRuntime cluster, ThreadContext context)
    {
        var kernel = cluster.Kernel;
        var vm = context.VmBlock;
        var (waitsOn, wake) = context.Status switch
        {
            ContextStatus.Blocked => DescribeFutex(kernel, context),
            ContextStatus.IntBlocked => DescribeInt(kernel, context),
            ContextStatus.VmWait => ("vmwait", "any per-vCPU interrupt enabled for it"),
            ContextStatus.Ready => ("nothing (READY, not scheduled)", "the scheduler"),
            _ => ("nothing (RUNNING)", "itself"),
        };
        return new Stranded
        {
            Cluster = (uint)kernel.Cluster,
            Vm = (uint)vm.Vmidx,
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
        var word = vm.Read(address);
        var runnable = vm.Contexts.Where(c => c.Status is ContextStatus.Running or ContextStatus.Ready && c != context).Select(c => c.Id.ToString()).ToList();
        var owner = new ThreadId((uint)(word & ~0x1FL));
        var isPi = owner.Vmidx == (uint)vm.Vmidx && owner.Raw != 0;
        var waker = isPi
            ? $"FUTEX_UNLOCK_PI by the owner {owner} ({kernel.IdToContext(owner)?.Status.ToString().ToUpperInvariant() ?? "gone"})"
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
                return ($"popup interrupt {intno}", $"interrupt {intno}");
            }
        }

        return ("intpool", "an interrupt bound to the VM's intpool");
    }
}
