using System.Diagnostics;
using Akka.Actor;
using H2Sim.Core.Phold;
using H2Sim.Protocol.Model;

namespace H2Sim.Bench.Naive;

/// <summary>
/// PHOLD written the way one first writes it on Akka: one actor per LP and one <c>Tell</c> per
/// event, straight onto the dispatcher — no partitions, no windows, no event queue of our own.
/// It draws targets and delays exactly as <see cref="PholdModel"/> does (same LP count, remote
/// fraction, lookahead plus exponential delay, per-LP quota), but the order in which an LP sees
/// its events is whatever the mailboxes make of it, so the run is not deterministic and has no
/// trace hash. It exists only to be compared with the batched core (`h2sim bench naive`).
/// </summary>
public static class NaivePhold
{
    private static long nextRun;

    /// <summary>Runs one naive PHOLD in <paramref name="system"/> and stops its actors afterwards.</summary>
    public static NaiveResult Run(ActorSystem system, ModelSpec spec, TimeSpan timeout)
    {
        PholdFactory.Validate(spec);
        var parameters = spec.Phold;
        var run = new NaiveRunState((long)parameters.Lps * parameters.PopulationPerLp);
        var lps = new IActorRef[parameters.Lps];
        var runName = $"naive{Interlocked.Increment(ref nextRun)}";
        for (uint lp = 0; lp < parameters.Lps; lp++)
        {
            var id = lp;
            lps[id] = system.ActorOf(Props.Create(() => new NaiveLpActor(id, lps, spec, run)), $"{runName}-lp{id}");
        }

        var stopwatch = Stopwatch.StartNew();
        foreach (var lp in lps)
        {
            lp.Tell(NaiveStart.Instance, ActorRefs.NoSender);
        }

        try
        {
            if (!run.Completion.Wait(timeout))
            {
                throw new TimeoutException($"naive PHOLD did not finish within {timeout.TotalSeconds:0}s");
            }

            stopwatch.Stop();
            var counts = Task.WhenAll(lps.Select(lp => lp.Ask<NaiveCounts>(NaiveCountQuery.Instance, timeout))).GetAwaiter().GetResult();
            var events = counts.Aggregate(0UL, (sum, c) => sum + c.Handled);
            var lastCycles = counts.Max(c => c.LastEventCycles);
            return new NaiveResult(events, lastCycles, stopwatch.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var lp in lps)
            {
                system.Stop(lp);
            }
        }
    }
}

/// <summary>What a naive run measured.</summary>
public sealed record NaiveResult(ulong Events, ulong VirtualCycles, double WallSeconds)
{
    public double EventsPerSecond => WallSeconds > 0 ? Events / WallSeconds : 0;
}

/// <summary>
/// Counts the events in flight: the run is over when every event has been absorbed by an LP past
/// its quota. Touched only when an LP absorbs one, so it does not serialize the hot path.
/// </summary>
internal sealed class NaiveRunState(long inFlight)
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long inFlight = inFlight;

    public Task Completion => completion.Task;

    public void Absorbed()
    {
        if (Interlocked.Decrement(ref inFlight) == 0)
        {
            completion.TrySetResult();
        }
    }
}
