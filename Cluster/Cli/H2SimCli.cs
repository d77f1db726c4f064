using System.CommandLine;
using H2Sim.Cluster.Engine;

namespace H2Sim.Cluster.Cli;

/// <summary>
/// The h2sim command line (architecture.md §11). Parse errors and bad input print one line on
/// stderr and exit 2; a simulation that finds a failure exits 1; never a stack trace alone.
/// </summary>
public static class H2SimCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("h2sim: deterministic, distributed simulation of the H2 hypervisor's thread and VM lifecycle");
        root.Options.Add(GlobalOptions.Seed);
        root.Options.Add(GlobalOptions.Partitions);
        root.Options.Add(GlobalOptions.Horizon);
        root.Options.Add(GlobalOptions.Json);
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SuiteCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(MinimizeCommand.Create());
        root.Subcommands.Add(ExploreCommand.Create());
        root.Subcommands.Add(GenCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"h2sim: {parse.Errors[0].Message} (see 'h2sim --help')");
            return ExitCodes.UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is UsageException or ArgumentException or FileNotFoundException or FormatException)
        {
            Console.Error.WriteLine($"h2sim: {Unwrap(e).Message}");
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (Unwrap(e) is SimulationFailedException)
        {
            Console.Error.WriteLine($"h2sim: run failed: {Unwrap(e).Message}");
            return ExitCodes.SimulationFailure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in h2sim itself: one line, not a stack trace; H2SIM_DEBUG=1 shows the trace.
            var inner = Unwrap(e);
            Console.Error.WriteLine($"h2sim: internal error ({inner.GetType().Name}): {inner.Message}");
            if (Environment.GetEnvironmentVariable("H2SIM_DEBUG") == "1")
            {
                Console.Error.WriteLine(inner);
            }

            return ExitCodes.SimulationFailure;
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
