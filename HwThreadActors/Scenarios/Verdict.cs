using System.Globalization;
using H2Sim.Protocol.Model;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// A test's verdict, judged as the upstream harness judges test.log (h2-domain.md §11.1, §6.5):
/// PASS when "TEST PASSED" was printed, nothing printed FAIL or ERROR, and the booter saw every
/// VM drain with its expected status. Otherwise HANG (the booter sleeps forever: upstream's
/// ulimit kill), TIMEOUT (the horizon: a livelock), DEADLOCK, VIOLATION or FAIL, with the
/// diagnosis. Nothing here knows which test is which: the verdict follows from the run.
/// </summary>
public sealed record Verdict(string Kind, string Detail)
{
    public const string Pass = "PASS";
    public const string Hang = "HANG";
    public const string Timeout = "TIMEOUT";
    public const string Deadlock = "DEADLOCK";
    public const string Violation = "VIOLATION";
    public const string Fail = "FAIL";

    public static readonly IReadOnlyList<string> Kinds = [Pass, Fail, Hang, Timeout, Deadlock, Violation];

    public bool Passed => Kind == Pass;

    public static Verdict Judge(Scenario scenario, ModelReport report)
    {
        var printed = report.Printed.Select(Split).ToList();
        var testPassed = printed.Any(p => p.Vm != "booter" && p.Text == "TEST PASSED");
        var failure = printed.FirstOrDefault(p => p.Text.StartsWith("FAIL", StringComparison.Ordinal) || p.Text.Contains("ERROR", StringComparison.Ordinal));
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
                return new Verdict(Fail, $"{passedNote}{report.Detail}; the booter never saw a status (upstream's grep of test.log would still call it PASS, h2-domain.md R12)");
        }

        if (failure.Text is not null)
        {
            return new Verdict(Fail, $"{failure.Vm}: {failure.Text}");
        }

        foreach (var vm in scenario.Vms)
        {
            var outcome = report.Vms.FirstOrDefault(v => v.Name == vm.Name);
            if (outcome is null || outcome.Kind != "exit")
            {
                return new Verdict(Fail, $"VM {vm.Name} did not exit ({outcome?.Kind ?? "no outcome"})");
            }

            if (outcome.Status != vm.ExpectStatus)
            {
                return new Verdict(Fail, $"VM {vm.Name} exited with status 0x{outcome.Status:x}, expected 0x{vm.ExpectStatus:x}");
            }
        }

        if (!testPassed)
        {
            return new Verdict(Fail, "TEST PASSED was never printed");
        }

        return new Verdict(Pass, string.Join(", ", report.Vms.Select(v => $"VM {v.Name} drained, status 0x{v.Status.ToString("x", CultureInfo.InvariantCulture)} as expected")));
    }

    /// <summary>"vm 2 cpu 30 BLOCKED on futex … (joined): …" for each stranded context.</summary>
    public static string Stranded(ModelReport report) =>
        report.Stranded.Count == 0
            ? "no stranded context"
            : string.Join("; ", report.Stranded.Select(s => $"vm {s.Vm} cpu {s.Cpuidx} {s.Status} on {s.WaitsOn} (woken by {s.WhoCouldWake})"));

    private static (string Vm, string Text) Split(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? (string.Empty, line) : (line[..colon], line[(colon + 2)..]);
    }
}
