using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Akka's log sink for h2sim (hocon/h2sim.conf, akka.loggers): every Akka log line goes to stderr,
/// one line each, so that stdout carries only what a verb prints — with --json, exactly one JSON
/// object (README.md). Akka's default logger would write to stdout.
/// </summary>
public sealed class StderrLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private static void Write(LogEvent e)
    {
        var text = OneLine(e.Message?.ToString());
        // Akka.Remote logs every association that closes as an error. On a cluster a node's
        // association closes whenever that node stops, and a node lost mid-run already fails the
        // run with an error naming it and the window (docs/cluster.md), so these lines are noise.
        if (e.LogSource.Contains("/endpointManager/", StringComparison.Ordinal) && text.StartsWith("Disassociated", StringComparison.Ordinal))
        {
            return;
        }

        // The same for an association that never forms (a seed that is not there, or not an
        // h2sim node: the handshake times out) and a port that is taken: the join timeout and
        // the listen check report those as one line of their own.
        if (e.LogSource.Contains("/system/transports/", StringComparison.Ordinal) || e.LogSource.StartsWith("TcpTransport", StringComparison.Ordinal))
        {
            return;
        }

        // A send to a remote actor whose node is going away (Akka.Remote's RemoteActorRef swallows
        // the exception and logs it): the run's own failure names the lost node and the window, and
        // a message lost while its node is alive stops the window, whose timeout names it.
        if (e.LogSource.StartsWith("akka.tcp://", StringComparison.Ordinal) && text.StartsWith("swallowing exception during message send", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        Console.Error.WriteLine($"h2sim: akka {e.LogLevel().ToString().Replace("Level", string.Empty, StringComparison.Ordinal).ToLowerInvariant()} [{e.LogSource}] {text}");
    }

    private static string OneLine(string? text) => (text ?? string.Empty).ReplaceLineEndings(" ");
}
