namespace H2Sim.Core.Run;

/// <summary>
/// A run that could not complete: an exception inside a partition (a model bug, an impossible
/// state), named with the partition and the window it happened in. The CLI reports it as one
/// line and exit 1.
/// </summary>
public sealed class RunFailedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>"partition P, window W: what": the same wording on every engine.</summary>
    public static string Describe(string where, Exception e) =>
        e is InvalidOperationException
            ? $"{where}: {e.Message}"
            : $"{where}: {e.GetType().Name}: {e.Message}";

    /// <summary>Errors that are the input's, not the engine's: a scenario found at fault at run time.</summary>
    public static bool IsInputError(Exception e) => e is Input.InputException;
}
