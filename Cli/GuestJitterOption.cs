using System.CommandLine;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>`--guest-jitter PCT`: each guest compute step's duration varies within ± PCT percent (seeded; docs/exploration.md).</summary>
public static class GuestJitterOption
{
    public static Option<double?> Create(string description = "± percent by which each guest compute step's duration varies (seeded from --seed; 0 to 100)") =>
        new("--guest-jitter") { Description = description };

    /// <summary>The jitter a value asks for (null for none); a value outside 0..100 is a usage error.</summary>
    public static GuestJitter? Of(double? percent)
    {
        if (percent is null or 0)
        {
            return null;
        }

        if (percent is < 0 or > 100 || double.IsNaN(percent.Value))
        {
            throw new UsageException($"--guest-jitter must be a percentage from 0 to 100, got {percent}");
        }

        return new GuestJitter { Percent = percent.Value };
    }
}
