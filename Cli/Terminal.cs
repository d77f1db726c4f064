using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// Where the verbs' human-readable output goes. Spectre.Console writes to the current stdout; when
/// stdout is not a terminal it gets an unlimited width, so a diagnosis in a table or a line is never
/// hard-wrapped at 80 columns in a log file or a CI job. Progress is drawn only on a terminal;
/// otherwise it goes to stderr, so stdout holds the results alone.
/// </summary>
public static class Terminal
{
    /// <summary>Wide enough for any line h2sim prints; Spectre only pads tables that ask to expand.</summary>
    private const int RedirectedWidth = 100_000;

    /// <summary>Points Spectre.Console at the process's stdout as it is now (tests swap it).</summary>
    public static void Attach()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        AnsiConsole.Console = console;
    }

    /// <summary>True when a progress bar may be drawn: stdout is an interactive terminal and no --json.</summary>
    public static bool ShowsProgressBar(bool json) =>
        !json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>A progress line for a redirected run: on stderr, never mixed into the results on stdout.</summary>
    public static void Progress(string line) => Console.Error.WriteLine(line);
}
