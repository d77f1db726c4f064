using System.Globalization;
using System.Text.RegularExpressions;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// Command lines a user can paste to look again at a result: the `run` that reproduces a suite
/// cell or a sweep value, the `replay` and `minimize` of a saved log. They start with the command
/// h2sim was invoked as (`./h2sim` from the repository's launcher, `h2sim` as an installed tool).
/// </summary>
public static partial class ReproduceCommand
{
    /// <summary>The launcher exports how it was called; an installed tool is on PATH as h2sim.</summary>
    public static string Program => Environment.GetEnvironmentVariable("H2SIM_INVOKED_AS") is { Length: > 0 } invoked ? invoked : "h2sim";

    public static string Run(string scenarioPath, KernelVariant kernel, ulong seed, KernelBug bugs = KernelBug.None, IEnumerable<KeyValuePair<string, long>>? parameters = null, ulong horizonCycles = 0, string? record = null, IEnumerable<KeyValuePair<string, string>>? policies = null)
    {
        var words = new List<string> { Program, "run", scenarioPath, "--kernel", kernel.Name(), "--seed", seed.ToString(CultureInfo.InvariantCulture) };
        foreach (var (name, value) in policies ?? [])
        {
            words.AddRange(["--policy", $"{name}={value}"]);
        }

        foreach (var bug in KernelBugs.NamesOf(bugs))
        {
            words.AddRange(["--bug", bug]);
        }

        foreach (var (name, value) in parameters ?? [])
        {
            words.AddRange(["--param", string.Create(CultureInfo.InvariantCulture, $"{name}={value}")]);
        }

        if (horizonCycles != 0)
        {
            words.AddRange(["--horizon", horizonCycles.ToString(CultureInfo.InvariantCulture)]);
        }

        if (record is not null)
        {
            words.AddRange(["--record", record]);
        }

        return Join(words);
    }

    public static string Replay(string log, string? timeline = null) =>
        Join(timeline is null ? [Program, "replay", log, "--verify"] : [Program, "replay", log, "--verify", "--timeline", timeline]);

    public static string Minimize(string log, string output) => Join([Program, "minimize", log, "-o", output]);

    public static string Log(string log) => Join([Program, "log", log]);

    /// <summary>The log name minimise writes next to <paramref name="log"/>: x.h2log → x.min.h2log.</summary>
    public static string MinimizedName(string log) =>
        log.EndsWith(Core.Recording.RunLog.Extension, StringComparison.Ordinal)
            ? log[..^Core.Recording.RunLog.Extension.Length] + ".min" + Core.Recording.RunLog.Extension
            : log + ".min" + Core.Recording.RunLog.Extension;

    /// <summary>Words joined for a POSIX shell: anything beyond a safe set is single-quoted.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(" ", words.Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+$")]
    private static partial Regex SafeWord();
}
