using System.CommandLine;
using H2Sim.Cluster.Engine;
using H2Sim.Core.Input;
using H2Sim.Core.Run;

namespace H2Sim.Cli;

/// <summary>
/// The h2sim command line (architecture.md §11). Exit codes (README.md): 0 success; 1 the
/// simulation found a failure or could not complete; 2 usage or input error. Every error is one
/// line on stderr, never a stack trace; with --json, stdout holds exactly one JSON object or
/// nothing.
/// </summary>
public static class H2SimCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("h2sim: deterministic, distributed simulation of the H2 hypervisor's thread and VM lifecycle");
        root.Options.Add(GlobalOptions.Seed);
        root.Options.Add(GlobalOptions.Partitions);
        root.Options.Add(GlobalOptions.Horizon);
        root.Options.Add(GlobalOptions.Costs);
        root.Options.Add(GlobalOptions.Policies);

        root.Options.Add(GlobalOptions.Timeout);
        root.Options.Add(GlobalOptions.Check);
        root.Options.Add(GlobalOptions.Json);
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SuiteCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(LogCommand.Create());
        root.Subcommands.Add(MinimizeCommand.Create());
        root.Subcommands.Add(ExploreCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(GenCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        Terminal.Attach();
        var root = BuildRoot();

        // An empty word names no file, value or option; System.CommandLine would accept it and
        // fail only when a verb reads it as a path.
        if (Array.IndexOf(args, string.Empty) is var empty and >= 0)
        {
            return Fail(ExitCodes.UsageError, $"argument {empty + 1} is empty (\"\"): give a file, a value or an option there");
        }

        // Bare `h2sim` is someone finding their way: show them the verbs.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        if (parse.Errors.Count > 0)
        {
            return Fail(ExitCodes.UsageError, $"{ParseErrors.OneLine(parse)} (see '{HelpCommand(parse)}')");
        }

        ulong timeoutSeconds;
        try
        {
            timeoutSeconds = parse.GetValue(GlobalOptions.Timeout);
        }
        catch (InvalidOperationException e)
        {
            // With --help the parser reports no errors, but reading an option given twice throws.
            return Fail(ExitCodes.UsageError, $"{e.Message} (see 'h2sim --help')");
        }

        using var deadline = timeoutSeconds > 0 ? WallDeadline.Start(TimeSpan.FromSeconds(timeoutSeconds), "--timeout") : null;
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is UsageException or FileNotFoundException or DirectoryNotFoundException or InputException)
        {
            return Fail(ExitCodes.UsageError, Unwrap(e).Message);
        }
        catch (Exception e) when (Unwrap(e) is WallTimeoutException timeout)
        {
            return TimedOut(timeout, parse.GetValue(GlobalOptions.Json));
        }
        catch (Exception e) when (Unwrap(e) is SimulationFailedException or RunFailedException or TimeoutException)
        {
            return Fail(ExitCodes.SimulationFailure, $"run failed: {Unwrap(e).Message}");
        }
        catch (Exception e) when (Unwrap(e) is OutOfMemoryException or InsufficientExecutionStackException)
        {
            // Limits on the input keep this rare; it is still one line and a failed run, not a trace.
            return Fail(ExitCodes.SimulationFailure, $"run failed: {Unwrap(e).GetType().Name}: {Unwrap(e).Message}");
        }
        catch (Exception e)
        {
            // A bug in h2sim itself: still one line, and the run counts as failed; H2SIM_DEBUG=1 shows the trace.
            var inner = Unwrap(e);
            if (Environment.GetEnvironmentVariable("H2SIM_DEBUG") == "1")
            {
                Console.Error.WriteLine(inner);
            }

            return Fail(ExitCodes.SimulationFailure, $"internal error: {inner.GetType().Name}: {inner.Message}");
        }
    }

    /// <summary>`h2sim run --help` for an error inside `run`: the help that lists what was mistyped.</summary>
    private static string HelpCommand(ParseResult parse)
    {
        var names = new List<string>();
        for (var command = parse.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (command.Command is not RootCommand)
            {
                names.Insert(0, command.Command.Name);
            }
        }

        return string.Join(" ", [ReproduceCommand.Program, .. names, "--help"]);
    }

    /// <summary>The command's own verdict for --timeout: one line on stderr, with --json one object on stdout.</summary>
    private static int TimedOut(WallTimeoutException timeout, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w =>
            {
                w.WriteStartObject("verdict");
                w.WriteString("kind", WallTimeoutException.Verdict);
                w.WriteString("detail", timeout.Message);
                w.WriteEndObject();
            }));
        }

        return Fail(ExitCodes.SimulationFailure, $"{WallTimeoutException.Verdict}: {timeout.Message}");
    }

    private static int Fail(int exitCode, string message)
    {
        Console.Error.WriteLine($"h2sim: {message.ReplaceLineEndings(" ")}");
        return exitCode;
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
