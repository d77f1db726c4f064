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
        Receive<LogEvent>(e => Console.Error.WriteLine(
            $"h2sim: akka {e.LogLevel().ToString().Replace("Level", string.Empty, StringComparison.Ordinal).ToLowerInvariant()} [{e.LogSource}] {OneLine(e.Message?.ToString())}"));
    }

    private static string OneLine(string? text) => (text ?? string.Empty).ReplaceLineEndings(" ");
}
