using Akka.Configuration;
using H2Sim.Core.Input;

namespace H2Sim.Cluster.Settings;

/// <summary>
/// One h2sim.* section of the loaded HOCON, read key by key with no default in code: every key has
/// its one default in hocon/, so a missing one is a configuration the user broke (an override file,
/// an edited hocon/), reported by its full path.
/// </summary>
internal sealed class HoconSection
{
    private readonly Config section;

    private HoconSection(Config section, string path)
    {
        this.section = section;
        Path = path;
    }

    public string Path { get; }

    public static HoconSection Of(Config config, string path) =>
        config.HasPath(path) ? new HoconSection(config.GetConfig(path), path) : throw new InputException($"configuration has no {path} section (hocon/ defines it)");

    public int Int(string key) => Require(key).GetInt(key);

    public long Long(string key) => Require(key).GetLong(key);

    public string Text(string key) => Require(key).GetString(key);

    public TimeSpan Duration(string key) => Require(key).GetTimeSpan(key, allowInfinite: false);

    private Config Require(string key) =>
        section.HasPath(key) ? section : throw new InputException($"configuration has no {Path}.{key} (hocon/ defines it)");
}
