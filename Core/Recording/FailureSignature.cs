using H2Sim.Protocol.Model;

namespace H2Sim.Core.Recording;

/// <summary>
/// How a failing run fails, for minimisation and for grouping exploration results: the outcome
/// kind plus the shape of the violation (its invariant) or of the stranded contexts (their
/// statuses and what they wait on, without addresses or ids). Null for a run that did not fail.
/// </summary>
public static class FailureSignature
{
    public static string? Of(ModelReport report) => report.OutcomeKind switch
    {
        "exit" or "ok" or "" => report.Vms.Any(v => v.Kind == "exit" && ExpectedMismatch(report, v)) ? "status-mismatch" : null,
        "violation" => $"violation:{report.ViolationInvariant}",
        "deadlock" => "deadlock",
        "angel-exit" => $"angel-exit:{(report.Figures.TryGetValue("angel-exit-code", out var code) ? code : "?")}",
        "hang" or "timeout" => $"{report.OutcomeKind}:{StrandedShape(report)}",
        _ => report.OutcomeKind,
    };

    private static bool ExpectedMismatch(ModelReport report, VmOutcome vm) =>
        report.Printed.Any(line => line.Contains($"FAIL: VM {vm.Vm} status", StringComparison.Ordinal));

    /// <summary>
    /// The stranded guest contexts' shape; never empty, so a signature always says something. A
    /// booter (vmidx 1) waits in every hang, so it is left out: a lost CHILDINT strands no guest.
    /// </summary>
    private static string StrandedShape(ModelReport report)
    {
        var guests = report.Stranded.Where(s => s.Vm != BootVmIndex).Select(s => $"{s.Status}/{WaitKind(s.WaitsOn)}").Order(StringComparer.Ordinal).ToList();
        return guests.Count == 0 ? "no-stranded-context" : string.Join(",", guests);
    }

    private const uint BootVmIndex = 1;

    private static string WaitKind(string waitsOn) => waitsOn switch
    {
        _ when waitsOn.StartsWith("lock_pi", StringComparison.Ordinal) => "lock_pi",
        _ when waitsOn.StartsWith("futex", StringComparison.Ordinal) => "futex",
        _ when waitsOn.StartsWith("popup", StringComparison.Ordinal) => "popup",
        _ => waitsOn.Split(' ')[0],
    };
}
