using Akka.Actor;
using Akka.Event;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Akka's log on stderr (hocon/cluster.conf): stdout belongs to the command's own output, which
/// with --json is exactly one object.
/// </summary>
public sealed class StderrLogger : ReceiveActor
{
    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private static void Write(LogEvent e)
    {
        var text = e.Message?.ToString() ?? string.Empty;
        // Akka.Remote logs every association that closes as an error. A node's association closes
        // whenever that node stops, and a node lost mid-run already fails the run with an error
        // naming it and the window, so these lines would only be noise.
        if (e.LogSource.Contains("/endpointManager/", StringComparison.Ordinal) && text.StartsWith("Disassociated", StringComparison.Ordinal))
        {
            return;
        }

        var level = e.LogLevel().ToString().Replace("Level", string.Empty, StringComparison.Ordinal);
        var cause = e.Cause is null ? string.Empty : $" ({e.Cause.Message})";
        Console.Error.WriteLine($"h2sim [{level}] {e.LogSource}: {text}{cause}");
    }
}
