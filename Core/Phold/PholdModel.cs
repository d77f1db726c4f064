using H2Sim.Core.Events;
using H2Sim.Core.Model;
using H2Sim.Core.Partitioning;
using H2Sim.Core.Randomness;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Phold;

/// <summary>
/// PHOLD, the standard parallel discrete-event benchmark. N logical processes (LPs) in G placement
/// groups; every event an LP handles schedules one new event at a random LP after the lookahead
/// plus an exponential delay. With probability <c>remote_fraction</c> the target is in another
/// group (so, with more than one partition, often another partition). Each LP forwards at most its
/// quota of events (events / lps), so the run ends by itself.
/// </summary>
public sealed class PholdModel : ISimModel
{
    public const int EventKind = 1;

    private readonly PholdParams parameters;
    private readonly PartitionView view;
    private readonly ulong lookaheadCycles;
    private readonly uint lpsPerGroup;
    private readonly DeterministicRandom[] random;
    private readonly ulong[] handled;
    private readonly ulong[] quota;

    public PholdModel(ModelSpec spec, PartitionView view)
    {
        parameters = spec.Phold;
        this.view = view;
        lookaheadCycles = spec.LookaheadCycles;
        lpsPerGroup = parameters.Lps / parameters.Groups;
        random = new DeterministicRandom[parameters.Lps];
        handled = new ulong[parameters.Lps];
        quota = new ulong[parameters.Lps];
        var basePerLp = parameters.Events / parameters.Lps;
        var extra = parameters.Events % parameters.Lps;
        for (uint lp = 0; lp < parameters.Lps; lp++)
        {
            if (view.OwnsActor(lp))
            {
                random[lp] = new DeterministicRandom(spec.Seed, lp, RandomPurpose.Phold);
                quota[lp] = basePerLp + (lp < extra ? 1UL : 0UL);
            }
        }
    }

    public bool StopRequested => false;

    /// <summary>LPs are laid out group by group: LP i is in group i / (lps / groups).</summary>
    public static int GroupOf(uint lp, uint lpsPerGroup) => (int)(lp / lpsPerGroup);

    public void Start(IEventSink sink)
    {
        for (uint lp = 0; lp < parameters.Lps; lp++)
        {
            if (!view.OwnsActor(lp))
            {
                continue;
            }

            for (var i = 0; i < parameters.PopulationPerLp; i++)
            {
                ScheduleNext(lp, sink);
            }
        }
    }

    public void Deliver(in SimEvent ev, IEventSink sink)
    {
        var lp = ev.Target;
        if (++handled[lp] <= quota[lp])
        {
            ScheduleNext(lp, sink);
        }
    }

    public ModelReport Finish(RunEndReason reason, ulong endCycles)
    {
        ulong total = 0;
        for (uint lp = 0; lp < parameters.Lps; lp++)
        {
            if (view.OwnsActor(lp))
            {
                total += handled[lp];
            }
        }

        var report = new ModelReport { OutcomeKind = "ok", EndCycles = endCycles };
        report.Figures["handled"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return report;
    }

    private void ScheduleNext(uint lp, IEventSink sink)
    {
        ref var rng = ref random[lp];
        var group = (uint)GroupOf(lp, lpsPerGroup);
        uint targetGroup = group;
        if (parameters.Groups > 1 && rng.NextDouble() < parameters.RemoteFraction)
        {
            // Any group but our own, uniformly.
            targetGroup = (uint)rng.NextBelow(parameters.Groups - 1);
            if (targetGroup >= group)
            {
                targetGroup++;
            }
        }

        var target = (targetGroup * lpsPerGroup) + (uint)rng.NextBelow(lpsPerGroup);
        var delay = lookaheadCycles + rng.NextExponential(parameters.MeanDelayCycles);
        sink.Send(lp, target, delay, EventKind, (long)handled[lp]);
    }
}
