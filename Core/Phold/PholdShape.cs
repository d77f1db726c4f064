namespace H2Sim.Core.Phold;

/// <summary>
/// The shape of the PHOLD benchmark model: events per LP at the start, the mean of the exponential
/// delay, the lookahead (the minimum delay) and the placement groups (at most that many partitions
/// get work). The CLI reads it from h2sim.phold (hocon/h2sim.conf).
/// </summary>
public sealed record PholdShape(uint PopulationPerLp, ulong MeanDelayCycles, ulong LookaheadCycles, uint Groups);
