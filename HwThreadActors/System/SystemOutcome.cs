using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.System;

/// <summary>What one partition observed that decides the run's outcome (architecture.md §9).</summary>
public sealed class SystemOutcome
{
    public List<string> Printed { get; } = new();

    /// <summary>Child exits the booters saw: (cluster, vmidx) → (name, status).</summary>
    public SortedDictionary<(int Cluster, int Vmidx), (string Name, long Status)> ChildExits { get; } = new();

    public string? FailureKind { get; private set; }

    public string? FailureDetail { get; private set; }

    public string? Invariant { get; private set; }

    public ulong FailureCycles { get; private set; }

    public long? AngelExitCode { get; private set; }

    public string? AngelExitVm { get; private set; }

    public SortedSet<int> BootersDone { get; } = new();

    /// <summary>Once set, the model delivers no more events (the run ends at this window's end).</summary>
    public bool Stopped { get; private set; }

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

    public ModelReport ToPartialReport()
    {
        var report = new ModelReport();
        report.Printed.AddRange(Printed);
        return report;
    }
}
