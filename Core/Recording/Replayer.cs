using H2Sim.Core.Input;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Run;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Recording;

/// <summary>
/// Re-executes a recorded run from its header and checks it message by message (architecture.md
/// §8), on any partition count; or, with edits (drop or delay one recorded message), runs the
/// "what if" and reports what happens instead.
/// </summary>
public static class Replayer
{
    public static ReplayResult Replay(RunLog log, Func<ModelSpec, IModelFactory> resolve, int partitions, IDeliveryObserver? observer = null)
    {
        var spec = log.Manifest.Spec;
        var verifier = new ReplayVerifier(log.Events, observer);
        try
        {
            var result = InProcessRunner.Run(spec, resolve(spec), partitions, verifier);
            if (verifier.FirstUndelivered() is { } missing)
            {
                return new ReplayResult(result, new ReplayDivergenceException(missing.Event, null, missing.Index));
            }

            if (result.TraceHash != log.End.TraceHash)
            {
                return new ReplayResult(result, new ReplayDivergenceException(null, null, -1));
            }

            return new ReplayResult(result, null);
        }
        catch (ReplayDivergenceException divergence)
        {
            return new ReplayResult(null, divergence);
        }
    }

    /// <summary>
    /// Runs the recorded spec with edits. An id names a recorded message — drop it (null) or delay it
    /// — or a message a recorded fault hit: then the edit applies to that fault (drop removes it,
    /// delay makes it a delay of that many cycles). The recorded faults are replayed as explicit
    /// per-message faults, so the others stay exactly as they were.
    /// </summary>
    public static RunResult WhatIf(RunLog log, Func<ModelSpec, IModelFactory> resolve, int partitions, IEnumerable<(MessageId Id, ulong? DelayCycles)> edits, IDeliveryObserver? observer = null)
    {
        var spec = log.Manifest.Spec.Clone();
        var recordedFaults = Minimizer.InjectedFaults(log);
        spec.Faults = new FaultPlan
        {
            CostJitterPercent = log.Manifest.Spec.Faults?.CostJitterPercent ?? 0,
            BklSeed = log.Manifest.Spec.Faults?.BklSeed ?? 0,
        };
        var rules = new List<FaultRule>();
        foreach (var (id, delay) in edits)
        {
            var fault = recordedFaults.FirstOrDefault(r => r.Ids.Single().Equals(id));
            if (fault is not null)
            {
                recordedFaults.Remove(fault);
                if (delay is { } cycles)
                {
                    fault.Action = "delay";
                    fault.DelayMinCycles = fault.DelayMaxCycles = cycles;
                    rules.Add(fault);
                }

                continue;
            }

            if (!log.Events.Any(e => e.Source == id.Source && e.Sequence == id.Sequence))
            {
                throw new InputException($"message {id.Source}:{id.Sequence} is not in the log, and no recorded fault hit it");
            }

            var rule = new FaultRule
            {
                Kind = "*",
                Action = delay is null ? "drop" : "delay",
                DelayMinCycles = delay ?? 0,
                DelayMaxCycles = delay ?? 0,
                Source = -1,
                Target = -1,
            };
            rule.Ids.Add(id);
            rules.Add(rule);
        }

        // Edits come first: they decide before the recorded plan's rules.
        spec.Faults.Rules.AddRange(rules);
        spec.Faults.Rules.AddRange(recordedFaults);
        return InProcessRunner.Run(spec, resolve(spec), partitions, observer);
    }

    public static MessageId ParseMessageId(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !uint.TryParse(parts[0], out var source) || !ulong.TryParse(parts[1], out var sequence))
        {
            throw new InputException($"a message id is SOURCE:SEQUENCE (as a log lists them), got '{text}'");
        }

        return new MessageId { Source = source, Sequence = sequence };
    }
}

/// <summary>The replay's run (null if it stopped at a divergence) and the first divergence, if any.</summary>
public sealed record ReplayResult(RunResult? Run, ReplayDivergenceException? Divergence)
{
    public bool Verified => Divergence is null;
}
