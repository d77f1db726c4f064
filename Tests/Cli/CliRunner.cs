using H2Sim.Cli;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>Tests that swap Console.Out/Error run alone, so nothing else writes into their capture.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>Runs the CLI in process, as Program.Main does, capturing stdout and stderr.</summary>
public static class CliRunner
{
    public static CliOutcome Run(params string[] args)
    {
        var previousOut = Console.Out;
        var previousError = Console.Error;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);

        // Spectre's console keeps the writer it was made with: one on this capture, then one on the
        // restored stdout (never one on a capture that is disposed when this returns).
        Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(stdout) });
        try
        {
            var exitCode = H2SimCli.Run(args);
            return new CliOutcome(exitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(previousOut) });
        }
    }
}

public sealed record CliOutcome(int ExitCode, string Stdout, string Stderr);
