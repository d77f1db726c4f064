using H2Sim.KernelActors;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// A decided choice point as a trace message to the cluster's arbiter (EventKinds.Choice):
/// a = kind | subject &lt;&lt; 8 | candidates &lt;&lt; 32, b = the chosen index, c = the chosen candidate
/// (an agent for the BKL choices, an hthread for an interrupt taker).
/// </summary>
public static class ChoiceRecord
{
    public static long Encode(ChoiceKind kind, int subject, int count) => (long)kind | ((long)(subject & 0xFFFFFF) << 8) | ((long)count << 32);

    public static (ChoiceKind Kind, int Subject, int Count) Decode(long a) => ((ChoiceKind)(a & 0xFF), (int)((a >> 8) & 0xFFFFFF), (int)(a >> 32));
}
