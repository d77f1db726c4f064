using System.CommandLine;
using System.Runtime.InteropServices;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Nodes;
using H2Sim.Cluster.Runs;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>
/// `--nodes N`, `--cluster HOST:PORT` and `--hostname H` for a verb that runs a simulation: where
/// the run is placed (<see cref="RunPlacement"/>: embedded, the default; N local nodes; or a running
/// cluster, docs/cluster.md). The run itself is the library's <see cref="Simulation"/>; this class
/// adds the progress line and Ctrl-C. Every placement gives the same trace hash.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The most local nodes `--nodes` starts on one machine.</summary>
    public const int MaxLocalNodes = 32;

    private ClusterOptions(Option<int> nodes, Option<string?> cluster, Option<string> hostname, Option<ulong?> joinTimeout)
    {
        Nodes = nodes;
        Cluster = cluster;
        Hostname = hostname;
        JoinTimeout = joinTimeout;
    }

    public Option<int> Nodes { get; }

    public Option<string?> Cluster { get; }

    public Option<string> Hostname { get; }

    public Option<ulong?> JoinTimeout { get; }

    /// <summary>`--join-timeout SECONDS` (not given: h2sim.cluster.join-timeout); <paramref name="zeroWaitsForEver"/> for a node that may start before its seed.</summary>
    public static Option<ulong?> JoinTimeoutOption(bool zeroWaitsForEver) => CliParsers.OptionalWholeNumber(
        "--join-timeout",
        zeroWaitsForEver
            ? "Seconds to wait to be admitted to the seed's cluster before giving up (exit 1); 0 waits for ever [default: h2sim.cluster.join-timeout in hocon/cluster.conf]"
            : "Seconds to wait for the cluster and its nodes before giving up (exit 1) [default: h2sim.cluster.join-timeout in hocon/cluster.conf]",
        min: zeroWaitsForEver ? 0UL : 1UL,
        max: GlobalOptions.TimeoutSecondsMax);

    public static Option<string> HostnameOption() => new("--hostname")
    {
        Description = "Address this process listens on for the other nodes",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public static ClusterOptions AddTo(Command command)
    {
        var nodes = new Option<int>("--nodes")
        {
            Description = $"Run on N nodes: this process and N-1 `h2sim node` workers it starts on this machine (at most {MaxLocalNodes}); with --cluster, wait for N nodes",
            DefaultValueFactory = _ => 1,
        };
        nodes.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 1 or > MaxLocalNodes)
            {
                result.AddError($"--nodes must be between 1 and {MaxLocalNodes}, got {value}");
            }
        });
        var cluster = new Option<string?>("--cluster")
        {
            Description = "Run on the running cluster that HOST:PORT (an `h2sim node`) belongs to",
        };
        var options = new ClusterOptions(nodes, cluster, HostnameOption(), JoinTimeoutOption(zeroWaitsForEver: false));
        command.Options.Add(options.Nodes);
        command.Options.Add(options.Cluster);
        command.Options.Add(options.Hostname);
        command.Options.Add(options.JoinTimeout);
        return options;
    }

    /// <summary>Whether the options ask for more than the embedded engine.</summary>
    public bool WantsCluster(ParseResult parse) => parse.GetValue(Cluster) is not null || parse.GetValue(Nodes) > 1;

    /// <summary>Where the options place a run; --partitions given or not (on a cluster: one per node).</summary>
    public RunPlacement Placement(ParseResult parse)
    {
        var partitions = parse.GetValue(GlobalOptions.Partitions);
        if (!WantsCluster(parse))
        {
            return new RunPlacement.Embedded { Partitions = partitions };
        }

        var partitionsGiven = parse.GetResult(GlobalOptions.Partitions) is { Implicit: false };
        var nodesGiven = parse.GetResult(Nodes) is { Implicit: false };
        var hostname = parse.GetValue(Hostname)!;
        var joinTimeout = parse.GetValue(JoinTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        RunPlacement placement = parse.GetValue(Cluster) is { } seed
            ? new RunPlacement.RunningCluster(ClusterConfig.ParseNodeAddress(seed), nodesGiven ? parse.GetValue(Nodes) : null, hostname, joinTimeout)
            : new RunPlacement.LocalNodes(parse.GetValue(Nodes), hostname, NodeLaunch.ForThisProcess(), joinTimeout);
        return placement with { Partitions = partitionsGiven ? partitions : null };
    }

    /// <summary>Runs <paramref name="spec"/> where the options say (<paramref name="warmup"/>: run first and discarded).</summary>
    public EngineRun Run(ParseResult parse, ModelSpec spec, ModelSpec? warmup = null) =>
        Run(parse, (simulation, placement, control) => simulation.Run(spec, placement, control with { Warmup = warmup }));

    /// <summary>
    /// Calls <paramref name="run"/> with the executable's simulation, the placement the options
    /// give, and a progress line on a terminal. On a cluster, Ctrl-C or SIGTERM fails the run
    /// naming the window, and local workers are stopped whatever happens.
    /// </summary>
    public T Run<T>(ParseResult parse, Func<Simulation, RunPlacement, RunControl, T> run)
    {
        var placement = Placement(parse);
        using var progress = RunProgressLine.Start(parse.GetValue(GlobalOptions.Json));
        if (!placement.IsClustered)
        {
            return run(H2SimModels.Simulation, placement, new RunControl(Progress: progress.Board));
        }

        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Interrupt(context, interrupt));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Interrupt(context, interrupt));
        return run(H2SimModels.Simulation, placement, new RunControl(interrupt.Token, progress.Board));
    }

    /// <summary>The first signal fails the run cleanly; a second one is left to end the process.</summary>
    private static void Interrupt(PosixSignalContext context, CancellationTokenSource interrupt)
    {
        if (interrupt.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Console.Error.WriteLine("h2sim: interrupted; stopping the run and its nodes (again to quit at once)");
        interrupt.Cancel();
    }
}
