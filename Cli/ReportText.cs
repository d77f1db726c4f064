using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.Cli;

/// <summary>Shared pieces of the scenario verbs' terminal output.</summary>
public static class ReportText
{
    public static string Colour(string verdict) => verdict switch
    {
        Verdict.Pass => "[green bold]PASS[/]",
        Verdict.Hang => "[red bold]HANG[/]",
        Verdict.Timeout => "[darkorange bold]TIMEOUT[/]",
        Verdict.Deadlock => "[magenta bold]DEADLOCK[/]",
        Verdict.Violation => "[fuchsia bold]VIOLATION[/]",
        _ => "[yellow bold]FAIL[/]",
    };
}
