using System.Globalization;
using H2Sim.Core.Model;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// Turns what the partitions saw into the run's outcome (architecture.md §9, h2-domain.md §13.9):
/// violation and deadlock first (earliest wins), then an Angel exit; then per VM and per boot: exit
/// with the status its parent saw, else timeout at the horizon or hang at quiescence, with every
/// live context, every vmblock and every pending interrupt. A run in which every VM exited still
/// fails when conservation does not hold: a vmblock drained but never freed (`leak`), or CHILDINTs
/// that do not balance (`childint-conservation`).
/// </summary>
public static class OutcomeReport
{
    private const string LeakPrefix = "leak:";

    public static ModelReport ForPartition(SystemOutcome outcome, IEnumerable<ClusterRuntime?> clusters, RunEndReason reason, ulong endCycles)
    {
        var report = new ModelReport { EndCycles = endCycles };
        report.Printed.AddRange(outcome.Printed);
        report.Lines.AddRange(outcome.Lines);
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

        outcome.Teardowns.WriteFigures(report.Figures);
        foreach (var exit in outcome.Exits)
        {
            var vm = new VmOutcome { Vm = (uint)exit.Vmidx, Cluster = (uint)exit.Cluster, Name = exit.Name, Kind = "exit", Status = exit.Status };
            vm.Boots.Add(new BootOutcome { Boot = (uint)exit.Boot, Kind = "exit", Status = exit.Status });
            report.Vms.Add(vm);
        }

        foreach (var ((cluster, vmidx), count) in outcome.ChildInts)
        {
            report.ChildInts.Add(new ChildIntTally
            {
                Cluster = (uint)cluster,
                Vm = (uint)vmidx,
                Sent = (uint)count.Sent,
                Duplicated = (uint)count.Duplicated,
                Posted = (uint)count.Posted,
                Dropped = (uint)count.Dropped,
                ParentDead = (uint)count.ParentDead,
            });
        }

        foreach (var cluster in clusters)
        {
            if (cluster is null)
            {
                continue;
            }

            EndOfRunState.Describe(cluster, report, outcome.BootersDone.Contains(cluster.Kernel.Cluster));
            if (reason == RunEndReason.Quiescent)
            {
                foreach (var leak in EndOfRunState.Leaks(cluster.Kernel))
                {
                    report.Figures[$"{LeakPrefix}{cluster.Kernel.Cluster}:{leak.Vmidx}"] = leak.Name;
                }
            }
        }

        return report;
    }

    public static ModelReport Merge(SystemDefinition definition, IReadOnlyList<ModelReport> reports, RunEndReason reason, ulong endCycles)
    {
        var merged = new ModelReport { EndCycles = endCycles };
        MergeLists(merged, reports);
        var failure = reports.Where(r => r.OutcomeKind is "violation" or "deadlock").OrderBy(r => r.ViolationCycles).FirstOrDefault();
        var angel = reports.FirstOrDefault(r => r.OutcomeKind == "angel-exit");
        var pendingKind = reason == RunEndReason.Horizon ? "timeout" : "hang";
        var unfinished = failure?.OutcomeKind ?? angel?.OutcomeKind ?? pendingKind;
        var exits = reports.SelectMany(r => r.Vms).ToList();
        foreach (var vm in definition.Vms)
        {
            merged.Vms.Add(OutcomeOf(vm, definition.ExpectedVmidx(vm), exits.Where(e => e.Name == vm.Name && e.Cluster == (uint)vm.Cluster), unfinished, merged));
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
            CheckConservation(merged);
        }
        else
        {
            merged.OutcomeKind = pendingKind;
            merged.Detail = pendingKind == "timeout"
                ? $"the horizon (cycle {endCycles}) was reached before every VM drained"
                : $"quiescent at cycle {endCycles} with {merged.Stranded.Count} live context(s): a booter or parent waits for a CHILDINT that never comes";
        }

        return merged;
    }

    /// <summary>Concatenates the partitions' lists and sorts them, so the report does not depend on how clusters were placed.</summary>
    private static void MergeLists(ModelReport merged, IReadOnlyList<ModelReport> reports)
    {
        foreach (var report in reports)
        {
            foreach (var (key, value) in report.Figures)
            {
                merged.Figures[key] = value;
            }
        }

        var lines = reports.SelectMany(r => r.Lines).OrderBy(l => l.Cycles).ThenBy(l => l.Cluster).ToList();
        merged.Lines.AddRange(lines);
        merged.Printed.AddRange(lines.Select(l => $"{l.Vm}: {l.Text}"));
        merged.Stranded.AddRange(reports.SelectMany(r => r.Stranded).OrderBy(s => s.Cluster).ThenBy(s => s.Vm).ThenBy(s => s.Cpuidx));
        merged.VmStates.AddRange(reports.SelectMany(r => r.VmStates).OrderBy(s => s.Cluster).ThenBy(s => s.Vm));
        merged.PendingInterrupts.AddRange(reports.SelectMany(r => r.PendingInterrupts).OrderBy(p => p.Cluster).ThenBy(p => p.InterruptNumber));
        merged.KernelWaits.AddRange(reports.SelectMany(r => r.KernelWaits).Order(StringComparer.Ordinal));
        merged.ChildInts.AddRange(reports.SelectMany(r => r.ChildInts).OrderBy(t => t.Cluster).ThenBy(t => t.Vm));
    }

    /// <summary>A VM's outcome: exit once every boot drained, else the run's kind for the boot that did not.</summary>
    private static VmOutcome OutcomeOf(VmDefinition vm, int vmidx, IEnumerable<VmOutcome> exits, string unfinished, ModelReport merged)
    {
        var boots = exits.SelectMany(e => e.Boots).OrderBy(b => b.Boot).ToList();
        var outcome = new VmOutcome { Name = vm.Name, Cluster = (uint)vm.Cluster, Vm = (uint)vmidx };
        outcome.Boots.AddRange(boots);
        if (boots.Count > 0)
        {
            outcome.Status = boots[^1].Status;
        }

        var expectedBoots = vm.Parent is null ? vm.Boots : 1;
        if (boots.Count >= expectedBoots)
        {
            outcome.Kind = "exit";
            return outcome;
        }

        outcome.Kind = unfinished;
        outcome.Boots.Add(new BootOutcome { Boot = (uint)boots.Count + 1, Kind = unfinished });
        outcome.Stranded.AddRange(merged.Stranded.Where(s => s.Cluster == (uint)vm.Cluster));
        return outcome;
    }

    /// <summary>Every VM exited: the run still fails if a vmblock leaked or CHILDINTs do not balance.</summary>
    private static void CheckConservation(ModelReport merged)
    {
        var leaks = merged.Figures.Where(f => f.Key.StartsWith(LeakPrefix, StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        if (leaks.Count > 0)
        {
            Violation(merged, "leak", $"{leaks.Count} vmblock(s) drained but never freed: {string.Join(", ", leaks.Select(l => $"{l.Value} (cluster {l.Key[LeakPrefix.Length..].Replace(":", ", vm ", StringComparison.Ordinal)})"))}");
            return;
        }

        foreach (var parent in merged.ChildInts.GroupBy(t => (t.Cluster, t.Vm)).OrderBy(g => g.Key))
        {
            var sent = parent.Sum(t => t.Sent) + parent.Sum(t => t.Duplicated);
            var handled = parent.Sum(t => t.Posted) + parent.Sum(t => t.Dropped) + parent.Sum(t => t.ParentDead);
            if (sent != handled)
            {
                Violation(merged, "childint-conservation", $"parent cluster {parent.Key.Cluster} vm {parent.Key.Vm}: CHILDINTs sent {parent.Sum(t => t.Sent)} (+{parent.Sum(t => t.Duplicated)} duplicated) but posted {parent.Sum(t => t.Posted)}, dropped {parent.Sum(t => t.Dropped)}, to a dead parent {parent.Sum(t => t.ParentDead)}");
                return;
            }
        }
    }

    private static void Violation(ModelReport merged, string invariant, string detail)
    {
        merged.OutcomeKind = "violation";
        merged.ViolationInvariant = invariant;
        merged.Detail = detail;
        merged.ViolationCycles = merged.EndCycles;
    }
}
