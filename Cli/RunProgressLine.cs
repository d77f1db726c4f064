using System.Globalization;
using H2Sim.Core.Run;

namespace H2Sim.Cli;

/// <summary>
/// The status line of a run on a terminal: windows, events and virtual time, redrawn on stderr
/// once a second from the engine's <see cref="RunProgress"/>, and erased when the run ends. Nothing
/// when stderr is not a terminal or the output is --json (a script reads one line, or one object).
/// </summary>
public sealed class RunProgressLine : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Timer? timer;
    private readonly object gate = new();
    private bool drawn;
    private bool disposed;

    private RunProgressLine(bool show)
    {
        if (show)
        {
            timer = new Timer(_ => Draw(), null, Interval, Interval);
        }
    }

    /// <summary>What the engine updates (also when nothing is shown, so the engine need not care).</summary>
    public RunProgress Board { get; } = new();

    public static RunProgressLine Start(bool json) => new(!json && !Console.IsErrorRedirected);

    private void Draw()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            var line = Board.Windows == 0
                ? "run: setting up the system"
                : string.Create(CultureInfo.InvariantCulture, $"run: window {Board.Windows:N0}, {Board.Events:N0} events, cycle {Board.VirtualCycles:N0}");
            Console.Error.Write("\r" + line.PadRight(72));
            drawn = true;
        }
    }

    public void Dispose()
    {
        timer?.Dispose();
        lock (gate)
        {
            disposed = true;
            if (drawn)
            {
                Console.Error.Write("\r" + new string(' ', 72) + "\r");
            }
        }
    }
}
