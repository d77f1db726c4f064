using System.CommandLine;
using System.Runtime.InteropServices;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Nodes;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Cli;

/// <summary>
/// `--nodes N`, `--cluster HOST:PORT` and `--hostname H` for a verb that runs a simulation, and
/// the one place that picks the engine: embedded (one process, the default), N local nodes, or a
/// running cluster (docs/cluster.md). Every choice gives the same trace hash.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The most local nodes `--nodes` starts on one machine.</summary>
    public const int MaxLocalNodes = 32;

    /// <summary>The join timeout when none is given (hocon/cluster.conf's h2sim.cluster.join-timeout says the same).</summary>
    public const ulong DefaultJoinTimeoutSeconds = 60;

    private ClusterOptions(Option<int> nodes, Option<string?> cluster, Option<string> hostname, Option<ulong> joinTimeout)
    {
        Nodes = nodes;
        Cluster = cluster;
        Hostname = hostname;
        JoinTimeout = joinTimeout;
    }

    public Option<int> Nodes { get; }

    public Option<string?> Cluster { get; }

    public Option<string> Hostname { get; }

    public Option<ulong> JoinTimeout { get; }

    /// <summary>`--join-timeout SECONDS`; <paramref name="zeroWaitsForEver"/> for a node that may start before its seed.</summary>
    public static Option<ulong> JoinTimeoutOption(bool zeroWaitsForEver) => CliParsers.WholeNumber(
        "--join-timeout",
        zeroWaitsForEver
            ? $"Seconds to wait to be admitted to the seed's cluster before giving up (exit 1); 0 waits for ever [default: {DefaultJoinTimeoutSeconds}]"
            : $"Seconds to wait for the cluster and its nodes before giving up (exit 1) [default: {DefaultJoinTimeoutSeconds}]",
        defaultValue: DefaultJoinTimeoutSeconds,
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

    /// <summary>
    /// Runs <paramref name="spec"/> where the options say. On a cluster, --partitions defaults to
    /// the number of nodes (one partition each). Ctrl-C or SIGTERM fails the run naming the window,
    /// and local workers are stopped whatever happens.
    /// </summary>
    /// <param name="warmup">Run first on the same engine and discarded (benchmarks: JIT the hot path).</param>
    public EngineRun Run(ParseResult parse, ModelSpec spec, ModelSpec? warmup = null)
    {
        var nodeCount = parse.GetValue(Nodes);
        var clusterSeed = parse.GetValue(Cluster);
        var partitions = parse.GetValue(GlobalOptions.Partitions);
        using var progress = RunProgressLine.Start(parse.GetValue(GlobalOptions.Json));
        if (!WantsCluster(parse))
        {
            var result = AkkaEngine.WithSystem(HoconConfig.Embedded(), system =>
            {
                if (warmup is not null)
                {
                    AkkaEngine.RunIn(system, warmup, partitions);
                }

                return AkkaEngine.RunIn(system, spec, partitions, progress.Board);
            });
            return new EngineRun(result, 1, 1, null);
        }

        var partitionsGiven = parse.GetResult(GlobalOptions.Partitions) is { Implicit: false };
        var nodesGiven = parse.GetResult(Nodes) is { Implicit: false };
        var hostname = parse.GetValue(Hostname)!;
        var joinTimeout = TimeSpan.FromSeconds(parse.GetValue(JoinTimeout));
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Interrupt(context, interrupt));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Interrupt(context, interrupt));
        using var session = clusterSeed is null
            ? ClusterSession.LaunchLocal(nodeCount, NodeLaunchCommand.ForThisProcess(), hostname, interrupt.Token, joinTimeout)
            : ClusterSession.JoinRunning(ClusterConfig.ParseNodeAddress(clusterSeed), nodesGiven ? nodeCount : null, hostname, interrupt.Token, joinTimeout);
        var partitionCount = partitionsGiven ? partitions : session.Nodes.Count;
        if (warmup is not null)
        {
            session.Run(warmup, partitionCount, interrupt.Token);
        }

        var run = session.Run(spec, partitionCount, interrupt.Token, progress.Board);
        return new EngineRun(run.Result, session.Nodes.Count, run.NodeOfPartition.Distinct().Count(), run);
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

/// <summary>A finished run and where it ran.</summary>
/// <param name="Nodes">Nodes of the cluster the run was placed on (1 for the embedded engine).</param>
/// <param name="NodesUsed">Nodes that hosted at least one partition.</param>
/// <param name="Cluster">Placement details, when it ran on a cluster.</param>
public sealed record EngineRun(RunResult Result, int Nodes, int NodesUsed, ClusterRunResult? Cluster);
