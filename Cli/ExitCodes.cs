namespace H2Sim.Cli;

/// <summary>The exit codes h2sim promises (README.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The simulation found a failure (hang, deadlock, violation, divergence, lost node).</summary>
    public const int SimulationFailure = 1;

    /// <summary>Usage or input error.</summary>
    public const int UsageError = 2;
}
