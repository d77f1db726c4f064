using System.Collections.Concurrent;
using Akka.Configuration;

namespace H2Sim.Cluster.Engine;

/// <summary>Loads the HOCON files shipped in hocon/ next to the binary (each read once per process).</summary>
public static class HoconConfig
{
    private static readonly ConcurrentDictionary<string, Config> Loaded = new(StringComparer.Ordinal);

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "hocon");

    public static Config Load(string fileName = "h2sim.conf") => Loaded.GetOrAdd(fileName, Read);

    private static Config Read(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"h2sim configuration not found: {path}");
        }

        return ConfigurationFactory.ParseString(File.ReadAllText(path));
    }

    /// <summary>The embedded engine's configuration, optionally with overrides on top.</summary>
    public static Config Embedded(string? overrides = null)
    {
        var config = Load();
        return string.IsNullOrWhiteSpace(overrides) ? config : ConfigurationFactory.ParseString(overrides).WithFallback(config);
    }
}
