using System.Diagnostics;
using Akka.Actor;
using H2Sim.Core.Model;
using H2Sim.Core.Run;
using H2Sim.Core.Trace;
using H2Sim.Protocol.Model;
using H2Sim.Protocol.Window;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// Runs the windows of virtual time (architecture.md §5). It sets the partitions up and starts
/// the first window (with the batch counts of the setup). The partitions send every WindowDone to
/// each other as well as here, and each applies the same <see cref="WindowSchedule"/> to the same
/// reports, so they start later windows without waiting for this actor; it follows along, window
/// by window, with the same decision, and when that decision is the end — nothing pending, the
/// horizon, or a model's stop — ends the run and collects reports and digests. A window that
/// takes longer than the timeout fails the run with an error naming the window and the partitions
/// that did not report. Any exception in this actor, or a partition's <see cref="RunAbort"/>, ends
/// the run at once with one error naming what failed and where.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor, IWithTimers
{
    private const string WindowTimerKey = "window-timeout";

    private readonly ModelSpec spec;
    private readonly IReadOnlyList<IActorRef> partitions;
    private readonly TaskCompletionSource<RunResult> completion;
    private readonly TimeSpan windowTimeout;
    private readonly Func<int, string> describePartition;
    private readonly WindowSchedule schedule;
    private readonly ulong runId;
    private readonly Stopwatch stopwatch = new();
    private readonly Dictionary<ulong, WindowTally> reportsByWindow = new();
    private readonly Dictionary<uint, PartitionFinished> finished = new();
    private readonly int partitionCount;
    private readonly RunProgress? progress;
    private ulong window;
    private ulong earliestAfterSetup = ulong.MaxValue;
    private ulong lastEventCycles;
    private RunEndReason endReason;
    private bool ending;
    private int ready;
    private uint[] expectedAfterSetup = [];
    private ulong eventsSoFar;

    public CoordinatorActor(
        ModelSpec spec,
        IReadOnlyList<IActorRef> partitions,
        TaskCompletionSource<RunResult> completion,
        TimeSpan windowTimeout,
        Func<int, string> describePartition,
        ulong runId,
        RunProgress? progress = null)
    {
        this.progress = progress;
        this.spec = spec;
        this.partitions = partitions;
        this.completion = completion;
        this.windowTimeout = windowTimeout;
        this.describePartition = describePartition;
        this.runId = runId;
        partitionCount = partitions.Count;
        schedule = new WindowSchedule(spec.LookaheadCycles, spec.HorizonCycles);
        Receive<PartitionReady>(OnReady);
        Receive<WindowDone>(OnDone);
        Receive<PartitionFinished>(OnFinished);
        Receive<RunAbort>(abort => Fail(abort.Reason, abort.InputError));
        Receive<WindowTimedOut>(OnTimedOut);
        Receive<Terminated>(t => Fail(Stopped(t)));
        Receive<RunInterrupted>(OnInterrupted);
    }

    /// <summary>The window in progress, as errors name it (window 0 is the setup).</summary>
    private string WindowName => window == 0 ? "window 0 (setup)" : $"window {window}";

    public ITimerScheduler Timers { get; set; } = null!;

    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e)
        {
            Fail(RunFailedException.Describe($"coordinator, {WindowName}", e));
            return true;
        }
    }

    public static Props Props(
        ModelSpec spec,
        IReadOnlyList<IActorRef> partitions,
        TaskCompletionSource<RunResult> completion,
        TimeSpan windowTimeout,
        Func<int, string> describePartition,
        ulong runId,
        RunProgress? progress = null) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(spec, partitions, completion, windowTimeout, describePartition, runId, progress));

    protected override void PreStart()
    {
        stopwatch.Start();
        var coordinatorPath = Akka.Serialization.Serialization.SerializedActorPath(Self);
        var paths = partitions.Select(Akka.Serialization.Serialization.SerializedActorPath).ToList();
        for (var p = 0; p < partitionCount; p++)
        {
            Context.Watch(partitions[p]);
            var setup = new PartitionSetup
            {
                RunId = runId,
                Partition = (uint)p,
                PartitionCount = (uint)partitionCount,
                Spec = spec,
                CoordinatorPath = coordinatorPath,
            };
            setup.PartitionPaths.AddRange(paths);
            partitions[p].Tell(setup);
        }

        Timers.StartSingleTimer(WindowTimerKey, new WindowTimedOut(0), windowTimeout);
    }

    private void OnReady(PartitionReady message)
    {
        if (message.RunId != runId)
        {
            return;
        }

        if (!string.IsNullOrEmpty(message.Error))
        {
            Fail(message.Error);
            return;
        }

        if (expectedAfterSetup.Length == 0)
        {
            expectedAfterSetup = new uint[partitionCount];
        }

        earliestAfterSetup = Math.Min(earliestAfterSetup, Math.Min(message.NextEventCycles, message.MinSentCycles));
        for (var destination = 0; destination < partitionCount; destination++)
        {
            expectedAfterSetup[destination] += message.BatchesSent[destination];
        }

        if (++ready == partitionCount)
        {
            StartFirstWindow(expectedAfterSetup);
        }
    }

    private void OnDone(WindowDone message)
    {
        if (message.RunId != runId || message.Window < window || ending || window == 0)
        {
            return;
        }

        // Partitions run ahead of this actor: a fast one's report for the next window can come first.
        if (!reportsByWindow.TryGetValue(message.Window, out var tally))
        {
            tally = new WindowTally(partitionCount);
            reportsByWindow[message.Window] = tally;
        }

        // A partition alone reports several windows at once, decided as this actor would have.
        if (partitionCount == 1 && message.FirstWindow == window && message.Window > window)
        {
            window = message.Window;
        }

        tally.Add(message);
        while (reportsByWindow.TryGetValue(window, out var current) && current.Complete)
        {
            reportsByWindow.Remove(window);
            lastEventCycles = Math.Max(lastEventCycles, current.LastEventCycles);
            eventsSoFar += current.EventsDelivered;
            progress?.Update(window, eventsSoFar, lastEventCycles);
            if (FollowNextWindow(current.EarliestPendingCycles, current.StopRequested) is null)
            {
                return;
            }
        }
    }

    /// <summary>After setup: sends the first window to every partition with the batches it must wait for.</summary>
    private void StartFirstWindow(uint[] expectedBatches)
    {
        if (FollowNextWindow(earliestAfterSetup, stopRequested: false) is not { } decision)
        {
            return;
        }

        for (var p = 0; p < partitionCount; p++)
        {
            partitions[p].Tell(new WindowAdvance
            {
                RunId = runId,
                Window = window,
                StartCycles = decision.StartCycles,
                EndCycles = decision.EndCycles,
                ExpectedBatches = expectedBatches[p],
            });
        }
    }

    /// <summary>
    /// Takes the decision the partitions take from the same reports: the next window (this actor
    /// times it) or the end of the run (this actor ends it; null).
    /// </summary>
    private WindowDecision? FollowNextWindow(ulong earliestPendingCycles, bool stopRequested)
    {
        var decision = schedule.Next(earliestPendingCycles, stopRequested);
        if (decision.IsEnd)
        {
            ending = true;
            endReason = decision.Reason;
            var finish = new RunFinish { RunId = runId, Reason = endReason.ToString(), EndCycles = lastEventCycles };
            foreach (var partition in partitions)
            {
                partition.Tell(finish);
            }

            Timers.StartSingleTimer(WindowTimerKey, new WindowTimedOut(window), windowTimeout);
            return null;
        }

        window++;
        Timers.StartSingleTimer(WindowTimerKey, new WindowTimedOut(window), windowTimeout);
        return decision;
    }

    private void OnFinished(PartitionFinished message)
    {
        if (message.RunId != runId)
        {
            return;
        }

        if (!string.IsNullOrEmpty(message.Error))
        {
            Fail($"partition {message.Partition}: {message.Error}");
            return;
        }

        finished[message.Partition] = message;
        if (finished.Count < partitionCount)
        {
            return;
        }

        Timers.CancelAll();
        stopwatch.Stop();
        var factory = ModelCatalog.Of(Context.System).For(spec.Model);
        var ordered = finished.Values.OrderBy(f => f.Partition).ToList();
        var report = factory.Merge(spec, ordered.Select(f => f.Report).ToList(), endReason, lastEventCycles);
        var hash = TraceDigest.Combine(ordered.SelectMany(f => f.Digests));
        var events = ordered.Aggregate(0UL, (sum, f) => sum + f.EventsDelivered);
        completion.TrySetResult(new RunResult(hash, events, lastEventCycles, window, partitionCount, endReason, report, stopwatch.Elapsed.TotalSeconds)
        {
            BarrierWaitSeconds = ordered.Average(f => f.BarrierWaitSeconds),
        });
        Context.Stop(Self);
    }

    private void OnTimedOut(WindowTimedOut timeout)
    {
        if (timeout.Window != window || completion.Task.IsCompleted)
        {
            return;
        }

        var missing = Enumerable.Range(0, partitionCount)
            .Where(p => !(reportsByWindow.TryGetValue(window, out var tally) && tally.HasReported(p)) && !finished.ContainsKey((uint)p))
            .Select(describePartition);
        Fail($"window {window} did not complete within {windowTimeout.TotalSeconds:0}s; no report from {string.Join(", ", missing)}");
    }

    /// <summary>A partition actor is gone: it stopped, its node stopped, or the cluster removed its node.</summary>
    private string Stopped(Terminated terminated)
    {
        var path = terminated.ActorRef.Path;
        var where = path.Address.HasGlobalScope ? $" on node {path.Address}" : string.Empty;
        var how = terminated.AddressTerminated ? "was lost with its node" : "stopped";
        return $"partition actor {path}{where} {how} during {WindowName}";
    }

    private void OnInterrupted(RunInterrupted interrupted)
    {
        if (interrupted.WallTimeout)
        {
            completion.TrySetException(new WallTimeoutException($"{interrupted.Cause} (stopped during {WindowName})"));
            Context.Stop(Self);
            return;
        }

        Fail($"{interrupted.Cause} during {WindowName}");
    }

    private void Fail(string reason, bool inputError = false)
    {
        completion.TrySetException(inputError ? new H2Sim.Core.Input.InputException(reason) : new SimulationFailedException(reason));
        Context.Stop(Self);
    }

    /// <summary>Local timer tick; never leaves this actor.</summary>
    private sealed record WindowTimedOut(ulong Window) : INoSerializationVerificationNeeded;
}

/// <summary>
/// Tells a coordinator to fail its run now: a node that hosts one of its partitions was lost, or
/// the user interrupted. The coordinator adds the window in progress to <paramref name="Cause"/>.
/// Local to the coordinator's process; never crosses the wire.
/// </summary>
/// <param name="WallTimeout">The command's --timeout passed: the run ends as TIMEOUT (wall), not as a failure.</param>
public sealed record RunInterrupted(string Cause, bool WallTimeout = false) : INoSerializationVerificationNeeded;

/// <summary>The engine could not complete a run (a model error, a lost partition or node).</summary>
public sealed class SimulationFailedException(string message) : Exception(message);
