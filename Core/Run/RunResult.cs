using H2Sim.Core.Model;
using H2Sim.Core.Trace;
using H2Sim.Protocol.Model;

namespace H2Sim.Core.Run;

/// <summary>The result of one run, whichever engine ran it.</summary>
public sealed record RunResult(
    ulong TraceHash,
    ulong Events,
    ulong VirtualCycles,
    ulong Windows,
    int Partitions,
    RunEndReason Reason,
    ModelReport Report,
    double WallSeconds)
{
    /// <summary>Wall-clock seconds a partition spent between windows waiting for the others (mean over partitions; 0 in process).</summary>
    public double BarrierWaitSeconds { get; init; }

    public string TraceHashText => TraceDigest.Format(TraceHash);

    public double EventsPerSecond => WallSeconds > 0 ? Events / WallSeconds : 0;
}
