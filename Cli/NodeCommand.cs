using System.CommandLine;
using System.Runtime.InteropServices;
using Akka.Actor;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Nodes;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim node --port P [--seed-node HOST:PORT] [--hostname H]`: a process that joins an h2sim
/// cluster and hosts partitions of any run started on it, until told to stop (Ctrl-C, SIGTERM,
/// or with --attached its stdin closing). It leaves the cluster before it exits. A node given seeds
/// that does not become a member within --join-timeout (nothing listens there, or not an h2sim
/// node) says so in one line and exits 1.
/// </summary>
public static class NodeCommand
{
    public const int DefaultPort = 4053;

    /// <summary>How long an attached worker tries to leave the cluster politely before it just stops.</summary>
    private static readonly TimeSpan AttachedLeaveTimeout = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on (0 picks a free one)", DefaultValueFactory = _ => DefaultPort };
        var seeds = new Option<string[]>("--seed-node")
        {
            Description = "HOST:PORT of a member to join (repeatable); none starts a new cluster",
            AllowMultipleArgumentsPerToken = false,
        };
        var hostname = ClusterOptions.HostnameOption();
        var attached = new Option<bool>("--attached")
        {
            Description = "Stop when standard input closes, ignore Ctrl-C (how `--nodes N` starts its workers)",
        };
        var joinTimeout = ClusterOptions.JoinTimeoutOption(zeroWaitsForEver: true);
        var publicAddress = new Option<string?>("--public-address")
        {
            Description = "HOST:PORT the other nodes reach this node at, when that is not where it listens (a relay, a NAT)",
        };
        var node = new Command("node", "Join an h2sim cluster and host partitions until stopped");
        node.Options.Add(joinTimeout);
        node.Options.Add(publicAddress);
        node.Options.Add(port);
        node.Options.Add(seeds);
        node.Options.Add(hostname);
        node.Options.Add(attached);
        node.SetAction(parse =>
        {
            var seedAddresses = (parse.GetValue(seeds) ?? []).Select(ClusterConfig.ParseNodeAddress).ToList();
            var advertised = parse.GetValue(publicAddress) is { } text ? ClusterConfig.ParseNodeAddress(text) : null;
            return Run(parse.GetValue(hostname)!, parse.GetValue(port), seedAddresses, parse.GetValue(attached), parse.GetValue(joinTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null, advertised);
        });
        return node;
    }

    private static int Run(string hostname, int port, IReadOnlyList<Address> seeds, bool attached, TimeSpan? joinTimeoutGiven, Address? publicAddress)
    {
        using var node = ClusterNode.Start(hostname, port, H2SimModels.Catalog, publicAddress: publicAddress);
        var joinTimeout = joinTimeoutGiven ?? ClusterNode.DefaultJoinTimeout(node.System.Settings.Config);
        var stopping = 0;
        void Stop(string why)
        {
            if (Interlocked.Exchange(ref stopping, 1) == 0)
            {
                Console.Out.WriteLine($"h2sim node {node.Address}: {why}; leaving the cluster");
                CoordinatedShutdown.Get(node.System).Run(CoordinatedShutdown.ClrExitReason.Instance);
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            if (!attached)
            {
                Stop("interrupted");
            }
        });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Stop("terminated");
        });
        if (attached)
        {
            StopWhenStdinCloses(() =>
            {
                Stop("its launcher closed stdin");
                // A launcher that died cannot acknowledge the leave; do not wait for it long.
                Task.Delay(AttachedLeaveTimeout).ContinueWith(_ => node.System.Terminate(), TaskScheduler.Default);
            });
        }

        node.Join(seeds);
        Console.Out.WriteLine(seeds.Count == 0
            ? $"h2sim node {node.Address}: starting a new cluster (others join with --seed-node {node.HostPort})"
            : $"h2sim node {node.Address}: joining {string.Join(", ", seeds)}");
        var up = node.WhenUp();
        up.ContinueWith(_ => Console.Out.WriteLine($"h2sim node {node.Address}: up, hosting partitions"), TaskScheduler.Default);
        if (joinTimeout > TimeSpan.Zero && Task.WaitAny([up, node.System.WhenTerminated], joinTimeout) < 0)
        {
            node.Stop(leave: false, TimeSpan.FromSeconds(10));
            Console.Error.WriteLine(
                $"h2sim: node {node.Address} was not admitted to the cluster of {string.Join(", ", seeds.Select(s => $"{s.Host}:{s.Port}"))} within {joinTimeout.TotalSeconds:0} s (--join-timeout): is an h2sim node listening there?");
            return ExitCodes.SimulationFailure;
        }

        node.System.WhenTerminated.Wait();
        var downed = node.WasDowned;
        Console.Out.WriteLine($"h2sim node {node.Address}: stopped{(downed ? " (the cluster downed this node)" : string.Empty)}");
        return downed ? ExitCodes.SimulationFailure : ExitCodes.Success;
    }

    /// <summary>Reads stdin to its end on a background thread; the end means the launcher closed it or died.</summary>
    private static void StopWhenStdinCloses(Action stop)
    {
        var reader = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
                // A broken pipe is an end too.
            }

            stop();
        })
        {
            IsBackground = true,
            Name = "h2sim-node-stdin",
        };
        reader.Start();
    }
}
