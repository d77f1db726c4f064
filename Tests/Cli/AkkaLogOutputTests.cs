using Akka.Event;
using H2Sim.Cluster.Engine;
using H2Sim.Tests.Support;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>Akka's own log lines must not reach stdout, where --json promises one JSON object.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class AkkaLogOutputTests
{
    [Fact]
    public void Akka_log_lines_go_to_stderr_and_never_to_stdout()
    {
        var previousOut = Console.Out;
        var previousError = Console.Error;
        var stdout = new Capture();
        var stderr = new Capture();
        Console.SetOut(stdout.Writer);
        Console.SetError(stderr.Writer);
        try
        {
            AkkaEngine.WithSystem(TestModels.Catalog, system =>
            {
                var probe = $"probe-warning-{Guid.NewGuid():N}";
                system.Log.Warning(probe);

                // The logger is an actor: wait, bounded, until its line arrives.
                Assert.True(SpinWait.SpinUntil(() => stderr.Text.Contains(probe, StringComparison.Ordinal), TimeSpan.FromSeconds(10)), "the warning never reached stderr");
                Assert.DoesNotContain(probe, stdout.Text);
                Assert.Single(stderr.Text.Split('\n'), line => line.Contains(probe, StringComparison.Ordinal) && line.StartsWith("h2sim: akka warning", StringComparison.Ordinal));
                return LogLevel.WarningLevel;
            });
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    [Fact]
    public void A_send_swallowed_on_the_way_to_a_remote_node_is_not_printed_but_other_errors_are()
    {
        var previousError = Console.Error;
        var stderr = new Capture();
        Console.SetError(stderr.Writer);
        try
        {
            AkkaEngine.WithSystem(TestModels.Catalog, system =>
            {
                var marker = $"probe-error-{Guid.NewGuid():N}";
                system.EventStream.Publish(new Error(null, "akka.tcp://h2sim@10.77.0.254:5003/user/partition-2", typeof(AkkaLogOutputTests), "swallowing exception during message send"));
                system.EventStream.Publish(new Error(null, "akka://h2sim/user/coordinator", typeof(AkkaLogOutputTests), marker));

                // Log events reach the logger in order: once the second is printed, the first was seen.
                Assert.True(SpinWait.SpinUntil(() => stderr.Text.Contains(marker, StringComparison.Ordinal), TimeSpan.FromSeconds(10)), "the error never reached stderr");
                Assert.DoesNotContain("swallowing exception", stderr.Text, StringComparison.OrdinalIgnoreCase);
                return true;
            });
        }
        finally
        {
            Console.SetError(previousError);
        }
    }

    /// <summary>A console stand-in that the logger thread writes while the test reads.</summary>
    private sealed class Capture
    {
        private readonly StringWriter inner = new();

        public Capture() => Writer = TextWriter.Synchronized(inner);

        public TextWriter Writer { get; }

        public string Text
        {
            get
            {
                // TextWriter.Synchronized serializes writes by locking the wrapper.
                lock (Writer)
                {
                    return inner.ToString();
                }
            }
        }
    }
}
