namespace H2Sim.Core.Run;

/// <summary>
/// A wall-clock deadline on a caller's work (the CLI's `--timeout SECONDS`), ambient for the command's flow of
/// control (an <see cref="AsyncLocal{T}"/>, so runs in parallel tasks see it and two commands run
/// side by side in one process do not). Only runner loops consult it, between windows and between
/// runs: the model never reads the wall clock, and a token's own timer is what measures time.
/// </summary>
public static class WallDeadline
{
    private static readonly AsyncLocal<Deadline?> Current = new();

    /// <summary>Cancelled when the deadline passes; <see cref="CancellationToken.None"/> when there is none.</summary>
    public static CancellationToken Token => Current.Value?.Source.Token ?? CancellationToken.None;

    /// <summary>Starts a deadline for the rest of this flow of control; dispose to remove it.</summary>
    /// <param name="name">How the caller names the limit in the verdict ("--timeout" on the command line).</param>
    public static IDisposable Start(TimeSpan limit, string name = "the wall-clock deadline")
    {
        var deadline = new Deadline(new CancellationTokenSource(limit), limit, name, Current.Value);
        Current.Value = deadline;
        return deadline;
    }

    /// <summary>
    /// Throws <see cref="WallTimeoutException"/> before window <paramref name="window"/> once the
    /// deadline has passed; its text is made only then (this runs every window).
    /// </summary>
    public static void ThrowIfPassedBeforeWindow(ulong window)
    {
        if (Current.Value is { } deadline && deadline.Source.IsCancellationRequested)
        {
            throw deadline.Exception($"window {window}");
        }
    }

    /// <summary>What passing the deadline means ("not finished within --timeout 5 s"), for engines that report it from another thread.</summary>
    public static string Description => Current.Value?.Description ?? "not finished within the wall-clock deadline";

    private sealed class Deadline(CancellationTokenSource source, TimeSpan limit, string name, Deadline? outer) : IDisposable
    {
        public CancellationTokenSource Source { get; } = source;

        public string Description => $"not finished within {name} {limit.TotalSeconds:0.###} s";

        public WallTimeoutException Exception(string where) => new($"{Description} (stopped during {where})");

        /// <summary>Restores the outer deadline. The source is left to the collector: a parallel run may still read it.</summary>
        public void Dispose() => Current.Value = outer;
    }
}

/// <summary>The work ran past its wall-clock deadline (the CLI's `--timeout`): verdict TIMEOUT (wall), exit 1.</summary>
public sealed class WallTimeoutException(string message) : Exception(message)
{
    public const string Verdict = "TIMEOUT (wall)";
}
