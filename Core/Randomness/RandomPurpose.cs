namespace H2Sim.Core.Randomness;

/// <summary>
/// What a random stream is for: with the run seed and the actor (or cluster), it names the stream,
/// so two purposes never share draws and adding one never shifts another's. The values spell the
/// purpose in ASCII; they are part of every trace hash, so they never change.
/// </summary>
public enum RandomPurpose : ulong
{
    /// <summary>PHOLD's per-LP delays and destinations.</summary>
    Phold = 0x5048_4F4C_44, // "PHOLD"

    /// <summary>The naive (one Akka message per event) PHOLD baseline.</summary>
    NaivePhold = 0x4E_4149_5645, // "NAIVE"

    /// <summary>Which BKL spinner gets the lock on release (a choice point).</summary>
    BklRelease = 0x42_4B4C, // "BKL"

    /// <summary>Which of several same-cycle arrivals at a free BKL gets it (a choice point).</summary>
    BklArrival = 0x42_4B4C_4152, // "BKLAR"

    /// <summary>Which eligible hthread takes a pending interrupt (a choice point).</summary>
    InterruptTaker = 0x49_4E54_544B, // "INTTK"

    /// <summary>Cost jitter: each kernel path's cost varies within ± a percentage.</summary>
    CostJitter = 0x4A_4954, // "JIT"

    /// <summary>Guest timing: each guest compute step's duration varies within ± a percentage.</summary>
    GuestJitter = 0x47_4A49_54, // "GJIT"

    /// <summary>Exploration: the seeds, fault plans and schedules each run draws.</summary>
    Explore = 0x4558_504C, // "EXPL"

    /// <summary>`gen storm`: every choice of a generated teardown storm.</summary>
    Storm = 0x53_544F_524D, // "STORM"
}
