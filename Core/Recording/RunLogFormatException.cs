namespace H2Sim.Core.Recording;

/// <summary>A log that is truncated, corrupted or not an h2sim log: an input error (exit 2).</summary>
public sealed class RunLogFormatException(string message) : Exception(message);
