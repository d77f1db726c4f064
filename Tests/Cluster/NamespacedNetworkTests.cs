using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Cluster.Network;
using H2Sim.Tests.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace H2Sim.Tests.Cluster;

/// <summary>
/// A cluster over a real network (docs/cluster.md, "A real network"): three `h2sim node`
/// processes, each in its own Linux network namespace, joined by veth pairs to a bridge; the
/// launcher runs a teardown storm across them from the host namespace. The storm gives the
/// one-node trace hash directly and through delaying TCP relays (1 ms and 5 ms per direction;
/// this kernel has no netem qdisc). A node cut off mid-run (its veth link down) fails the run
/// with the named node and window within the failure budget, and nothing is left running.
/// Needs root to make namespaces, as CI has; it is never skipped.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NamespacedNetworkTests(ITestOutputHelper output)
{
    /// <summary>A lost node is detected after ~10 s of silence (hocon/cluster.conf); docs/cluster.md promises a failure within 30 s.</summary>
    private static readonly TimeSpan FailureBudget = TimeSpan.FromSeconds(30);

    /// <summary>How long a node may take to leave and exit after SIGTERM (a leave waits up to its coordinated-shutdown phases).</summary>
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan RunBudget = TimeSpan.FromSeconds(240);

    [Fact]
    public void A_storm_across_three_namespaces_gives_the_one_node_hash_directly_and_through_1ms_and_5ms_relays()
    {
        var storm = StormFile(clusters: 6, threads: 8);
        var oneNode = ScenarioTestSupport.Run(File.ReadAllText(storm), KernelVariant.Master).Result.TraceHashText;
        using var network = NetworkNamespaces.Create(3);
        foreach (var latencyMs in new[] { 0, 1, 5 })
        {
            using var nodes = NamespacedNodes.Start(network, TimeSpan.FromMilliseconds(latencyMs));
            var (exitCode, stdout, stderr, seconds) = Launch(nodes, storm);

            Assert.True(exitCode == 0, $"latency {latencyMs} ms: exit {exitCode}: {stderr}");
            using var json = JsonDocument.Parse(stdout);
            Assert.Equal(oneNode, json.RootElement.GetProperty("traceHash").GetString());
            Assert.Equal(3, json.RootElement.GetProperty("nodes").GetInt32());
            Assert.True(latencyMs == 0 || nodes.BytesRelayed > 0, "no byte crossed the relays");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency {latencyMs} ms per direction: run {json.RootElement.GetProperty("wallSeconds").GetDouble():0.00} s, process {seconds:0.00} s, hash {oneNode}, relayed {nodes.BytesRelayed:N0} B"));
            AssertAllStop(nodes, network);
        }
    }

    [Fact]
    public void A_node_cut_off_mid_run_fails_the_run_naming_it_and_the_window_within_the_budget_and_leaves_nothing_running()
    {
        var storm = StormFile(clusters: 12, threads: 16);
        using var network = NetworkNamespaces.Create(3);
        using var nodes = NamespacedNodes.Start(network, TimeSpan.FromMilliseconds(5));
        using var launcher = NodeProcess.Start(NamespacedNodes.DotnetHost(), LaunchArguments(nodes, storm));

        // Mid-run: the setup (the scenario text to every partition) has crossed, then window
        // traffic (reports and batches) follows.
        var setupBytes = nodes.BytesRelayed + (4 * new FileInfo(storm).Length);
        Assert.True(SpinWait.SpinUntil(() => nodes.BytesRelayed > setupBytes || launcher.HasExited, RunBudget), "the run never got going");
        var windowBytes = nodes.BytesRelayed + 200_000;
        Assert.True(SpinWait.SpinUntil(() => nodes.BytesRelayed > windowBytes || launcher.HasExited, RunBudget), "no window traffic");
        Assert.False(launcher.HasExited, $"the run ended before the cut: {launcher.Output}");
        var stopwatch = Stopwatch.StartNew();
        network.LinkDown(2);

        Assert.True(launcher.WaitForExit(FailureBudget * 2), $"the launcher did not exit within {FailureBudget.TotalSeconds * 2:0}s of the cut");
        var toFailure = stopwatch.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node 2 cut off: the launcher exited {toFailure.TotalSeconds:0.0} s later: {launcher.Output}"));
        Assert.Equal(1, launcher.ExitCode);
        Assert.True(toFailure < FailureBudget, $"the run failed {toFailure.TotalSeconds:0.0}s after the cut");
        Assert.Matches(@"run failed: node akka\.tcp://h2sim@10\.77\.0\.254:5003 \(partitions 2\) became unreachable .* during window [1-9][0-9]*", launcher.Output);
        Assert.Single(launcher.Output.Split('\n'), line => line.StartsWith("h2sim: ", StringComparison.Ordinal));
        AssertAllStop(nodes, network);
    }

    /// <summary>Every node exits on SIGTERM within the budget (one the cluster downed has exited already), and no process is left in any namespace.</summary>
    private void AssertAllStop(NamespacedNodes nodes, NetworkNamespaces network)
    {
        var stopped = nodes.Stop(StopBudget);
        output.WriteLine($"nodes stopped after SIGTERM in {string.Join(", ", stopped.Select(s => s is { } t ? $"{t.TotalSeconds:0.0} s" : "never (killed)"))}");
        Assert.All(stopped, s => Assert.NotNull(s));
        for (var i = 0; i < network.Count; i++)
        {
            Assert.Equal(string.Empty, NetworkNamespaces.Ip("netns", "pids", network.Namespace(i)).Trim());
        }
    }

    private static (int ExitCode, string Stdout, string Stderr, double Seconds) Launch(NamespacedNodes nodes, string storm)
    {
        var info = new ProcessStartInfo(NamespacedNodes.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in LaunchArguments(nodes, storm))
        {
            info.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunBudget))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the launcher did not finish within {RunBudget.TotalSeconds:0}s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result, stopwatch.Elapsed.TotalSeconds);
    }

    private static List<string> LaunchArguments(NamespacedNodes nodes, string storm) =>
    [
        NamespacedNodes.H2simDll, "run", storm, "--kernel", "master", "--json",
        "--cluster", nodes.SeedAddress, "--nodes", "3", "--hostname", NetworkNamespaces.HostAddress,
    ];

    private static string StormFile(int clusters, int threads)
    {
        var (text, _) = StormGenerator.Generate(new StormGenerator.Options(clusters, VmsPerCluster: 4, threads, CrossClusterParents: 0.5, KillFraction: 0.5, Seed: 1));
        var path = Path.Combine(Path.GetTempPath(), $"h2sim-netns-storm-{clusters}x{threads}-{Environment.ProcessId}.yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
