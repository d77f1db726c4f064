using System.Globalization;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>A spec's choice-point inputs in one line: forced choices and guest timing (`h2sim log`, explore output).</summary>
public static class ScheduleText
{
    public static string Describe(ModelSpec spec)
    {
        var schedule = spec.Schedule;
        var forced = schedule is null || schedule.Forced.Count == 0 ? "none forced" : $"{schedule.Forced.Count} forced";
        var seed = schedule is { ChoiceSeed: not 0 } ? schedule.ChoiceSeed.ToString(CultureInfo.InvariantCulture) : "= run seed";
        return $"{forced}, choice seed {seed}; guest timing {GuestTiming(spec.GuestJitter)}";
    }

    private static string GuestTiming(GuestJitter? jitter) => jitter switch
    {
        null => "as written",
        { ExplicitOnly: true } => $"{jitter.Steps.Count} perturbed step(s): {string.Join(", ", jitter.Steps.Take(6).Select(Step))}{(jitter.Steps.Count > 6 ? ", …" : string.Empty)}",
        _ => string.Create(CultureInfo.InvariantCulture, $"±{jitter.Percent}% per step{(jitter.Steps.Count > 0 ? $" and {jitter.Steps.Count} listed step(s)" : string.Empty)}"),
    };

    public static string Step(StepPerturbation step) =>
        string.Create(CultureInfo.InvariantCulture, $"c{step.Cluster} {step.Vmidx}:{step.Cpuidx} step {step.Step} {step.DeltaCycles:+#;-#;0}");
}
