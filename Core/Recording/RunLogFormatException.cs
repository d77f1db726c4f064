namespace H2Sim.Core.Recording;

/// <summary>
/// A log that is damaged (truncated, corrupted, not an h2sim log, or not a regular file): an input
/// error (exit 2), never a replay's "verified" or "diverged". The message starts "damaged log: ".
/// </summary>
public sealed class RunLogFormatException(string message) : Input.InputException($"damaged log: {message}");
