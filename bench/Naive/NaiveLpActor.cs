using Akka.Actor;
using H2Sim.Core.Phold;
using H2Sim.Core.Randomness;
using H2Sim.Protocol.Model;

namespace H2Sim.Bench.Naive;

/// <summary>One PHOLD logical process as one plain actor: each event is one message.</summary>
internal sealed class NaiveLpActor : UntypedActor
{

    private readonly uint lp;
    private readonly IActorRef[] lps;
    private readonly NaiveRunState run;
    private readonly uint groups;
    private readonly uint lpsPerGroup;
    private readonly double remoteFraction;
    private readonly double meanDelayCycles;
    private readonly ulong lookaheadCycles;
    private readonly uint population;
    private readonly ulong quota;
    private DeterministicRandom random;
    private ulong handled;
    private ulong lastEventCycles;

    public NaiveLpActor(uint lp, IActorRef[] lps, ModelSpec spec, NaiveRunState run)
    {
        var parameters = spec.Phold;
        this.lp = lp;
        this.lps = lps;
        this.run = run;
        groups = parameters.Groups;
        lpsPerGroup = parameters.Lps / parameters.Groups;
        remoteFraction = parameters.RemoteFraction;
        meanDelayCycles = parameters.MeanDelayCycles;
        lookaheadCycles = spec.LookaheadCycles;
        population = parameters.PopulationPerLp;
        quota = (parameters.Events / parameters.Lps) + (lp < parameters.Events % parameters.Lps ? 1UL : 0UL);
        random = new DeterministicRandom(spec.Seed, lp, RandomPurpose.NaivePhold);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case NaiveEvent ev:
                lastEventCycles = Math.Max(lastEventCycles, ev.TimeCycles);
                if (++handled <= quota)
                {
                    ScheduleNext(ev.TimeCycles);
                }
                else
                {
                    run.Absorbed();
                }

                break;
            case NaiveStart:
                for (var i = 0; i < population; i++)
                {
                    ScheduleNext(0);
                }

                break;
            case NaiveCountQuery:
                Sender.Tell(new NaiveCounts(handled, lastEventCycles));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>The same draws as <see cref="PholdModel"/>: remote or local group, LP, delay.</summary>
    private void ScheduleNext(ulong nowCycles)
    {
        var group = lp / lpsPerGroup;
        var targetGroup = group;
        if (groups > 1 && random.NextDouble() < remoteFraction)
        {
            targetGroup = (uint)random.NextBelow(groups - 1);
            if (targetGroup >= group)
            {
                targetGroup++;
            }
        }

        var target = (targetGroup * lpsPerGroup) + (uint)random.NextBelow(lpsPerGroup);
        var delay = lookaheadCycles + random.NextExponential(meanDelayCycles);
        lps[target].Tell(new NaiveEvent(nowCycles + delay), ActorRefs.NoSender);
    }
}

/// <summary>One PHOLD event: one heap-allocated message, as a plain actor program would send it.</summary>
internal sealed record NaiveEvent(ulong TimeCycles) : INoSerializationVerificationNeeded;

internal sealed class NaiveStart : INoSerializationVerificationNeeded
{
    public static readonly NaiveStart Instance = new();
}

internal sealed class NaiveCountQuery : INoSerializationVerificationNeeded
{
    public static readonly NaiveCountQuery Instance = new();
}

internal sealed record NaiveCounts(ulong Handled, ulong LastEventCycles) : INoSerializationVerificationNeeded;
