using System.Diagnostics;
using System.Globalization;

namespace H2Sim.Tests.Cluster.Network;

/// <summary>
/// A test network made of Linux network namespaces (iproute2): one namespace per node, each joined
/// by a veth pair to a bridge in this process's namespace. Addresses are the test's own, in
/// 10.77.0.0/24: node i is 10.77.0.(i+1), this namespace (the launcher, the relays) is
/// 10.77.0.254. Needs root (CAP_NET_ADMIN), as CI has. Disposing removes everything it made.
/// </summary>
public sealed class NetworkNamespaces : IDisposable
{
    public const string HostAddress = "10.77.0.254";

    private readonly string bridge;
    private readonly List<string> namespaces = [];

    private NetworkNamespaces(string id, int count)
    {
        Id = id;
        bridge = $"h2b{id}";
        for (var i = 0; i < count; i++)
        {
            namespaces.Add($"h2sim-{id}-{i}");
        }
    }

    /// <summary>A short id unique to this test process (interface names have at most 15 characters).</summary>
    public string Id { get; }

    public int Count => namespaces.Count;

    public static string NodeAddress(int node) => $"10.77.0.{node + 1}";

    public string Namespace(int node) => namespaces[node];

    /// <summary>The veth end in this namespace that carries node <paramref name="node"/>'s traffic; down = the node is cut off.</summary>
    public string HostLink(int node) => $"h2v{Id}{node}";

    /// <summary>Creates <paramref name="count"/> namespaces and the bridge; throws with a clear message where that is not allowed.</summary>
    public static NetworkNamespaces Create(int count)
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException($"this test needs root to create network namespaces (ip netns add, veth pairs); it runs as '{Environment.UserName}'. CI runs it as root.");
        }

        var id = (Environment.ProcessId % 10_000).ToString("D4", CultureInfo.InvariantCulture);
        var network = new NetworkNamespaces(id, count);
        try
        {
            network.Build();
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return network;
    }

    public void LinkDown(int node) => Ip("link", "set", HostLink(node), "down");

    public void Dispose()
    {
        foreach (var name in namespaces)
        {
            TryIp("netns", "delete", name);
        }

        for (var i = 0; i < namespaces.Count; i++)
        {
            TryIp("link", "delete", HostLink(i));
        }

        TryIp("link", "delete", bridge);
    }

    /// <summary>Runs `ip ARGS`; a failure throws with ip's own message.</summary>
    public static string Ip(params string[] arguments)
    {
        var (exitCode, output) = Exec("ip", arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({exitCode}): {output.Trim()}");
    }

    private void Build()
    {
        // Leftovers of an earlier run with the same id (a killed test) would make `add` fail.
        Dispose();
        Ip("link", "add", bridge, "type", "bridge");
        Ip("addr", "add", $"{HostAddress}/24", "dev", bridge);
        Ip("link", "set", bridge, "up");
        for (var i = 0; i < namespaces.Count; i++)
        {
            var peer = $"h2p{Id}{i}";
            Ip("netns", "add", namespaces[i]);
            Ip("link", "add", HostLink(i), "type", "veth", "peer", "name", peer);
            Ip("link", "set", peer, "netns", namespaces[i]);
            Ip("link", "set", HostLink(i), "master", bridge);
            Ip("link", "set", HostLink(i), "up");
            Ip("-n", namespaces[i], "addr", "add", $"{NodeAddress(i)}/24", "dev", peer);
            Ip("-n", namespaces[i], "link", "set", peer, "up");
            Ip("-n", namespaces[i], "link", "set", "lo", "up");
        }
    }

    private static void TryIp(params string[] arguments) => Exec("ip", arguments);

    private static (int ExitCode, string Output) Exec(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            return (-1, "timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
