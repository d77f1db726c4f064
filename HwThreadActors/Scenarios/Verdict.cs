using System.Globalization;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// A test's verdict, judged as the upstream harness judges test.log (h2-domain.md §11.1, §6.5):
/// PASS when a printed line contains "TEST PASSED", no printed line contains "FAIL" or "ERROR",
/// and the booter saw every VM drain with its expected status — on every boot: a VM booted k
/// times is judged on each boot, and if any of its boots printed TEST PASSED, every boot must.
/// Otherwise HANG (the booter sleeps forever: upstream's ulimit kill), TIMEOUT (the horizon: a
/// livelock), DEADLOCK, VIOLATION or FAIL, with the diagnosis. Nothing here knows which test is
/// which: the verdict follows from the run.
/// </summary>
public sealed record Verdict(string Kind, string Detail)
{
    public const string Pass = "PASS";
    public const string Hang = "HANG";
    public const string Timeout = "TIMEOUT";
    public const string Deadlock = "DEADLOCK";
    public const string Violation = "VIOLATION";
    public const string Fail = "FAIL";

    /// <summary>How a verdict is judged, in one line, for reports.</summary>
    public const string Rule = "PASS = a printed line contains TEST PASSED (on every boot of a VM that prints it), no printed line contains FAIL or ERROR, and every VM drained (num_cpus 0) with its expected status on every boot";

    public const string PassedMarker = "TEST PASSED";

    public static readonly IReadOnlyList<string> Kinds = [Pass, Fail, Hang, Timeout, Deadlock, Violation];

    public bool Passed => Kind == Pass;

    public static Verdict Judge(Scenario scenario, ModelReport report)
    {
        var lines = report.Lines.Count > 0 ? report.Lines.ToList() : report.Printed.Select(FromText).ToList();
        var guestLines = lines.Where(l => l.Vm != "booter").ToList();
        var testPassed = guestLines.Any(l => IsPassed(l.Text));
        var passedNote = testPassed ? "TEST PASSED was printed, but " : string.Empty;
        switch (report.OutcomeKind)
        {
            case "hang":
                return new Verdict(Hang, $"{passedNote}{report.Detail}: {Stranded(report)}");
            case "timeout":
                return new Verdict(Timeout, $"{passedNote}{report.Detail}: {Stranded(report)}");
            case "deadlock":
                return new Verdict(Deadlock, $"{passedNote}{report.Detail}");
            case "violation":
                return new Verdict(Violation, $"{report.ViolationInvariant}: {report.Detail}");
            case "angel-exit":
                return new Verdict(Fail, $"{passedNote}{report.Detail}; the booter never saw a status (upstream's harness, which only greps test.log, would still call it PASS; on base exit(n != 0) is Angel SYS_EXIT in libs/syscall/angel/src/sys_exit.c)");
        }

        if (lines.FirstOrDefault(l => IsFailure(l.Text)) is { } failure)
        {
            return new Verdict(Fail, $"{failure.Vm}: {failure.Text}");
        }

        foreach (var vm in scenario.Vms)
        {
            if (JudgeVm(vm, report.Vms.FirstOrDefault(v => v.Name == vm.Name), guestLines) is { } verdict)
            {
                return verdict;
            }
        }

        if (!testPassed)
        {
            return new Verdict(Fail, "TEST PASSED was never printed");
        }

        return new Verdict(Pass, string.Join(", ", report.Vms.Select(v => $"VM {v.Name} drained, status 0x{v.Status.ToString("x", CultureInfo.InvariantCulture)} as expected")));
    }

    /// <summary>"TEST PASSED" anywhere in a printed line, as the harness's grep finds it.</summary>
    public static bool IsPassed(string line) => line.Contains(PassedMarker, StringComparison.Ordinal);

    /// <summary>"FAIL" or "ERROR" anywhere in a printed line.</summary>
    public static bool IsFailure(string line) => line.Contains("FAIL", StringComparison.Ordinal) || line.Contains("ERROR", StringComparison.Ordinal);

    /// <summary>A VM fails if a boot did not drain, drained with a wrong status, or lacks the TEST PASSED its other boots printed.</summary>
    private static Verdict? JudgeVm(ScenarioVm vm, VmOutcome? outcome, IReadOnlyList<PrintedLine> lines)
    {
        if (outcome is null || outcome.Kind != "exit")
        {
            return new Verdict(Fail, $"VM {vm.Name} did not exit ({outcome?.Kind ?? "no outcome"})");
        }

        var boots = outcome.Boots.Count > 0 ? outcome.Boots.ToList() : [new BootOutcome { Boot = 1, Kind = "exit", Status = outcome.Status }];
        var printsPassed = lines.Any(l => l.Vm == vm.Name && IsPassed(l.Text));
        foreach (var boot in boots)
        {
            var which = boots.Count > 1 ? $" on boot {boot.Boot}" : string.Empty;
            if (unchecked((int)boot.Status) != unchecked((int)vm.ExpectStatus))
            {
                return new Verdict(Fail, $"VM {vm.Name} exited with status 0x{boot.Status:x}{which}, expected 0x{vm.ExpectStatus:x}");
            }

            if (printsPassed && !lines.Any(l => l.Vm == vm.Name && l.Boot == boot.Boot && IsPassed(l.Text)))
            {
                return new Verdict(Fail, $"VM {vm.Name} printed TEST PASSED on another boot but not on boot {boot.Boot}");
            }
        }

        return null;
    }

    /// <summary>"vm 2 cpu 30 BLOCKED on futex … (joined): …" for each stranded context.</summary>
    public static string Stranded(ModelReport report) =>
        report.Stranded.Count == 0
            ? "no stranded context"
            : string.Join("; ", report.Stranded.Select(s => $"vm {s.Vm} cpu {s.Cpuidx} {s.Status} on {s.WaitsOn} (woken by {s.WhoCouldWake})"));

    /// <summary>A "vm: text" line of a report that carries no structured lines (boot unknown: 1).</summary>
    private static PrintedLine FromText(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0
            ? new PrintedLine { Vm = string.Empty, Boot = 1, Text = line }
            : new PrintedLine { Vm = line[..colon], Boot = 1, Text = line[(colon + 2)..] };
    }
}
