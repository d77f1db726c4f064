using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.Cli;

/// <summary>
/// What to paste after a sweep finds a failing value: `run … --param NAME=VALUE --record` to get its
/// log, then `minimize` and `replay --timeline` on it. Printed for the first value of each stretch
/// of values that fail the same way; every failing value has them in --json.
/// </summary>
public sealed class SweepReproduce(string scenarioPath, ScenarioRunOptions options, IReadOnlyList<string> fixedParams, string swept)
{
    public (string Record, string Minimize, string Replay) Commands(long value)
    {
        var stem = $"{swept}-{value}";
        var parameters = ScenarioOptions.Fixed(fixedParams).OrderBy(p => p.Key, StringComparer.Ordinal).Append(new KeyValuePair<string, long>(swept, value));
        var log = stem + Core.Recording.RunLog.Extension;
        var minimized = ReproduceCommand.MinimizedName(log);
        return (
            ReproduceCommand.Run(scenarioPath, options.Kernel, options.Seed, options.Bugs, parameters, options.HorizonCycles, log, options.Policies?.Pairs()),
            ReproduceCommand.Minimize(log, minimized),
            ReproduceCommand.Replay(minimized, stem));
    }

    public void Print(SweepResult result)
    {
        var stretches = new List<(SweepPoint First, SweepPoint Last)>();
        foreach (var point in result.Points.Where(p => !p.Verdict.Passed))
        {
            var previous = stretches.Count > 0 ? stretches[^1] : default;
            var adjacent = previous.Last is not null
                && previous.Last.Outcome == point.Outcome
                && result.Points.SkipWhile(p => p != previous.Last).Skip(1).FirstOrDefault() == point;
            if (adjacent)
            {
                stretches[^1] = (previous.First, point);
            }
            else
            {
                stretches.Add((point, point));
            }
        }

        if (stretches.Count == 0)
        {
            return;
        }

        Console.Out.WriteLine("to look closer at a failing value, paste:");
        foreach (var (first, last) in stretches)
        {
            var span = first == last ? $"{swept}={first.Value}" : $"{swept}={first.Value} (to {last.Value}, all {first.Outcome})";
            var (record, minimize, replay) = Commands(first.Value);
            Console.Out.WriteLine($"  {span}:");
            Console.Out.WriteLine($"    {record}");
            Console.Out.WriteLine($"    {minimize}");
            Console.Out.WriteLine($"    {replay}");
        }
    }
}
