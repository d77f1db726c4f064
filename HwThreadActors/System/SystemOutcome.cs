using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>What one partition observed that decides the run's outcome (architecture.md §9).</summary>
public sealed class SystemOutcome
{
    /// <summary>Every printed line as "vm: text", in print order.</summary>
    public List<string> Printed { get; } = new();

    /// <summary>Every printed line with its VM and boot.</summary>
    public List<PrintedLine> Lines { get; } = new();

    /// <summary>Each drain a booter or supervisor saw: (cluster, vmidx, name, boot, status), in order.</summary>
    public List<ChildExit> Exits { get; } = new();

    /// <summary>CHILDINT bookkeeping per parent vmblock (cluster, vmidx), checked at the end of the run.</summary>
    public SortedDictionary<(int Cluster, int Vmidx), ChildIntCount> ChildInts { get; } = new();

    public string? FailureKind { get; private set; }

    public string? FailureDetail { get; private set; }

    public string? Invariant { get; private set; }

    public ulong FailureCycles { get; private set; }

    public long? AngelExitCode { get; private set; }

    public string? AngelExitVm { get; private set; }

    public SortedSet<int> BootersDone { get; } = new();

    /// <summary>Teardown latency and BKL-hold figures (observation only, for `h2sim compare`).</summary>
    public TeardownClock Teardowns { get; } = new();

    /// <summary>Once set, the model delivers no more events (the run ends at this window's end).</summary>
    public bool Stopped { get; private set; }

    public void Print(string vm, int boot, string text, int cluster, ulong cycles)
    {
        Printed.Add($"{vm}: {text}");
        Lines.Add(new PrintedLine { Vm = vm, Boot = (uint)boot, Text = text, Cluster = (uint)cluster, Cycles = cycles });
    }

    public void ChildExited(int cluster, int vmidx, string name, int boot, long status) =>
        Exits.Add(new ChildExit(cluster, vmidx, name, boot, status));

    public ChildIntCount ChildIntsOf(int cluster, int vmidx)
    {
        if (!ChildInts.TryGetValue((cluster, vmidx), out var count))
        {
            count = new ChildIntCount();
            ChildInts[(cluster, vmidx)] = count;
        }

        return count;
    }

    public void Fail(string kind, string detail, ulong cycles, string? invariant = null)
    {
        if (FailureKind is not null)
        {
            return;
        }

        FailureKind = kind;
        FailureDetail = detail;
        FailureCycles = cycles;
        Invariant = invariant;
        Stopped = true;
    }

    public void AngelExit(string vm, long code)
    {
        AngelExitCode ??= code;
        AngelExitVm ??= vm;
        Stopped = true;
    }
}

/// <summary>A child VM drained (num_cpus 0) as its parent saw it, on one boot.</summary>
public sealed record ChildExit(int Cluster, int Vmidx, string Name, int Boot, long Status);

/// <summary>
/// CHILDINTs for one parent vmblock: the rule of §6.4 sent them; each was posted, dropped by a
/// fault, or found its parent context dead; a fault's duplicate adds one more to account for.
/// </summary>
public sealed class ChildIntCount
{
    public int Sent { get; set; }

    public int Duplicated { get; set; }

    public int Posted { get; set; }

    public int Dropped { get; set; }

    public int ParentDead { get; set; }

    public bool Balanced => Posted + Dropped + ParentDead == Sent + Duplicated;

    public override string ToString() => $"sent {Sent} (+{Duplicated} duplicated), posted {Posted}, dropped {Dropped}, parent dead {ParentDead}";
}
