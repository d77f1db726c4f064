using H2Sim.Core.Input;
namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// An error in a scenario file: names the file, the line and what was expected. It is an
/// <see cref="InputException"/>, so the CLI reports it as an input error (one line on stderr, exit 2).
/// </summary>
public sealed class ScenarioException(string file, long line, string message)
    : InputException($"{file}:{line}: {message}")
{
    public string File { get; } = file;

    public long Line { get; } = line;

    public string Reason { get; } = message;
}
