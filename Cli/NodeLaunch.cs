using System.Reflection;
using H2Sim.Cluster.Nodes;

namespace H2Sim.Cli;

/// <summary>How `--nodes N` starts its workers: this same binary as `h2sim node --attached` (the apphost, or `dotnet h2sim.dll`).</summary>
public static class NodeLaunch
{
    public static NodeLaunchCommand ForThisProcess()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which binary this process runs");
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            var entry = Assembly.GetEntryAssembly()?.Location;
            if (string.IsNullOrEmpty(entry))
            {
                throw new InvalidOperationException("cannot tell which assembly `dotnet` runs");
            }

            return Of(processPath, [entry]);
        }

        return Of(processPath, []);
    }

    /// <summary>`FILE PREFIX… node --port 0 --hostname H --seed-node SEED --attached`.</summary>
    public static NodeLaunchCommand Of(string fileName, IReadOnlyList<string> prefix) =>
        new(fileName, (hostname, seed) => [.. prefix, "node", "--port", "0", "--hostname", hostname, "--seed-node", seed, "--attached"]);
}
