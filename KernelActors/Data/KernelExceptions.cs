namespace H2Sim.KernelActors.Data;

/// <summary>A kernel invariant (architecture.md §9, h2-domain.md §13) does not hold.</summary>
public sealed class KernelInvariantException(string invariant, string message) : Exception(message)
{
    public string Invariant { get; } = invariant;
}

/// <summary>A path re-acquired the BKL on the hthread that holds it (h2-domain.md §4.2, R3).</summary>
public sealed class BklDeadlockException(string message) : Exception(message);

/// <summary>[B]'s Angel SYS_EXIT: the simulator stops with this code (h2-domain.md §7.1, R12).</summary>
public sealed class AngelExitException(long code) : Exception($"Angel SYS_EXIT({code})")
{
    public long Code { get; } = code;
}
