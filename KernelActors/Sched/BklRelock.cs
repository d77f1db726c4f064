using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>BKL_LOCK on an hthread that already holds it: the hardware lock deadlocks (R3).</summary>
public sealed partial class Kernel
{
    public BigKernelLock Bkl { get; } = new();

    /// <summary>A path calls BKL_LOCK while this section holds the BKL.</summary>
    internal void BklRelock(string path) =>
        throw new BklDeadlockException($"cluster {Cluster} hthread {CurrentHThread}: {path} while holding it");
}
