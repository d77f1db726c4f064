using System.Diagnostics;
using System.Net;
using H2Sim.Cli;

namespace H2Sim.Tests.Cluster.Network;

/// <summary>
/// Three `h2sim node` processes, one in each namespace of a <see cref="NetworkNamespaces"/>,
/// listening on port 4053 of their own address. With a latency, each node advertises a
/// <see cref="DelayingRelay"/> in the host namespace instead (`--public-address`), so all traffic
/// between nodes crosses a relay. Disposing stops the nodes (SIGTERM, then SIGKILL) and the relays.
/// </summary>
public sealed class NamespacedNodes : IDisposable
{
    public const int NodePort = 4053;

    private static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(90);

    private readonly List<DelayingRelay> relays = [];
    private readonly List<NodeProcess> processes = [];

    private NamespacedNodes(NetworkNamespaces network, TimeSpan latency)
    {
        for (var i = 0; i < network.Count; i++)
        {
            if (latency > TimeSpan.Zero)
            {
                relays.Add(new DelayingRelay(
                    new IPEndPoint(IPAddress.Parse(NetworkNamespaces.HostAddress), RelayPort(i)),
                    new IPEndPoint(IPAddress.Parse(NetworkNamespaces.NodeAddress(i)), NodePort),
                    latency));
            }
        }

        SeedAddress = Advertised(0);
        for (var i = 0; i < network.Count; i++)
        {
            var arguments = new List<string> { "netns", "exec", network.Namespace(i), DotnetHost(), H2simDll, "node", "--hostname", NetworkNamespaces.NodeAddress(i), "--port", $"{NodePort}" };
            if (relays.Count > 0)
            {
                arguments.AddRange(["--public-address", Advertised(i)]);
            }

            if (i > 0)
            {
                arguments.AddRange(["--seed-node", SeedAddress]);
            }

            processes.Add(NodeProcess.Start("ip", arguments));
        }
    }

    public static string H2simDll { get; } = typeof(H2SimCli).Assembly.Location;

    /// <summary>HOST:PORT a launcher joins (`--cluster`).</summary>
    public string SeedAddress { get; }

    public long BytesRelayed => relays.Sum(r => r.BytesRelayed);

    public IReadOnlyList<NodeProcess> Processes => processes;

    /// <summary>Starts the nodes and returns once every one says it is up.</summary>
    public static NamespacedNodes Start(NetworkNamespaces network, TimeSpan latency)
    {
        var nodes = new NamespacedNodes(network, latency);
        try
        {
            foreach (var process in nodes.processes)
            {
                process.WaitForLine("up, hosting partitions", UpTimeout);
            }
        }
        catch
        {
            nodes.Dispose();
            throw;
        }

        return nodes;
    }

    /// <summary>Stops every node (SIGTERM) and returns how long each took to exit; one still running after <paramref name="grace"/> is killed and reported as null.</summary>
    public IReadOnlyList<TimeSpan?> Stop(TimeSpan grace) => processes.Select(p => p.Terminate(grace)).ToList();

    public void Dispose()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }

        foreach (var relay in relays)
        {
            relay.Dispose();
        }
    }

    /// <summary>The `dotnet` that runs this test (set by the SDK), to run h2sim.dll with.</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static int RelayPort(int node) => 5001 + node;

    private string Advertised(int node) => relays.Count > 0
        ? $"{NetworkNamespaces.HostAddress}:{RelayPort(node)}"
        : $"{NetworkNamespaces.NodeAddress(node)}:{NodePort}";
}

/// <summary>A child process whose output is kept, line by line, and which can be waited for.</summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];

    private NodeProcess(Process process) => this.process = process;

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string Output
    {
        get
        {
            lock (lines)
            {
                return string.Join('\n', lines);
            }
        }
    }

    public static NodeProcess Start(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.Add(e.Data);
        process.ErrorDataReceived += (_, e) => node.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    public void WaitForLine(string text, TimeSpan timeout)
    {
        if (!SpinWait.SpinUntil(() => Output.Contains(text, StringComparison.Ordinal) || process.HasExited, timeout) || !Output.Contains(text, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"process {process.Id} did not print '{text}' within {timeout.TotalSeconds:0}s (exited: {process.HasExited}); output: {Output}");
        }
    }

    /// <summary>Waits for the exit; false if it ran past <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            return false;
        }

        process.WaitForExit();
        return true;
    }

    /// <summary>SIGTERM, as an operator stops a node; the time it took to exit, or null (then SIGKILL).</summary>
    public TimeSpan? Terminate(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return TimeSpan.Zero;
        }

        var stopwatch = Stopwatch.StartNew();
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", $"{process.Id}"]) { UseShellExecute = false })!)
        {
            kill.WaitForExit();
        }

        if (WaitForExit(grace))
        {
            return stopwatch.Elapsed;
        }

        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return null;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }
}
