using System.Diagnostics;
using System.Text.Json;
using H2Sim.Cli;
using H2Sim.Cluster.Engine;
using H2Sim.Cluster.Nodes;
using H2Sim.Core.Phold;
using H2Sim.Core.Run;
using H2Sim.KernelActors.Config;
using H2Sim.Tests.Scenarios;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Cluster;

/// <summary>
/// `--nodes N`: the launcher starts N−1 `h2sim node` processes of the same binary beside itself,
/// runs on all of them, and stops them afterwards.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalNodesTests
{
    private static readonly string H2simDll = typeof(H2SimCli).Assembly.Location;

    [Fact]
    public void A_launcher_with_a_worker_process_gives_the_one_node_hash_and_the_worker_is_gone_afterwards()
    {
        var spec = TestPhold.Spec(seed: 2, lps: 256, events: 100_000, remote: 0.3);
        var one = InProcessRunner.Run(spec, PholdFactory.Instance);
        var command = NodeLaunch.Of(DotnetHost(), [H2simDll]);

        IReadOnlyList<int> workers;
        using (var session = ClusterSession.LaunchLocal(2, command, "127.0.0.1", TestModels.Catalog, CancellationToken.None))
        {
            workers = session.WorkerProcessIds;
            var run = session.Run(spec, 2, CancellationToken.None);
            Assert.Equal(one.TraceHash, run.Result.TraceHash);
            Assert.Equal(2, run.NodeOfPartition.Distinct().Count());
        }

        Assert.Single(workers);
        Assert.All(workers, pid => Assert.False(IsRunning(pid), $"worker {pid} still runs"));
    }

    [Fact]
    public void A_worker_that_dies_before_the_cluster_forms_fails_the_launch_with_its_exit_code_and_output()
    {
        // Stands in for a worker that cannot start (a bad binary, a port in use).
        var broken = NodeLaunch.Of("/bin/sh", ["-c", "echo cannot listen >&2; exit 3", "h2sim"]);

        var failure = Assert.Throws<SimulationFailedException>(() => ClusterSession.LaunchLocal(2, broken, "127.0.0.1", TestModels.Catalog, CancellationToken.None));

        Assert.Contains("exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cannot listen", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_phold_on_two_nodes_prints_the_one_node_trace_hash()
    {
        var spec = TestPhold.Spec(seed: 4, lps: 512, events: 100_000, remote: 0.25);
        var one = InProcessRunner.Run(spec, PholdFactory.Instance);

        var (exitCode, stdout, stderr) = RunCli("bench", "phold", "--nodes", "2", "--seed", "4", "--lps", "512", "--events", "100000", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(one.TraceHashText, json.RootElement.GetProperty("traceHash").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("nodes").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("partitions").GetInt32());
    }

    [Fact]
    public void Run_of_a_cross_cluster_scenario_on_three_nodes_prints_the_one_node_trace_hash()
    {
        var file = Path.Combine(ScenarioTestSupport.RepositoryRoot, "scenarios", "cluster", "cross_cluster_supervisors.yaml");
        var one = ScenarioTestSupport.Run(File.ReadAllText(file), KernelVariant.Master, seed: 3);
        Assert.Equal("PASS", one.Verdict.Kind);

        var (exitCode, stdout, stderr) = RunCli("run", file, "--kernel", "master", "--seed", "3", "--nodes", "3", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(one.Result.TraceHashText, json.RootElement.GetProperty("traceHash").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("nodes").GetInt32());
        Assert.Equal("cluster", json.RootElement.GetProperty("engine").GetString());
        Assert.Equal("PASS", json.RootElement.GetProperty("verdict").GetProperty("kind").GetString());
    }

    private static (int ExitCode, string Stdout, string Stderr) RunCli(params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(H2simDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"h2sim {string.Join(' ', arguments)} did not finish within 120s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The `dotnet` that runs this test (set by the SDK), to run h2sim.dll with.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
