namespace H2Sim.KernelActors;

/// <summary>
/// The big kernel lock (k0lock/k0unlock, h2-domain.md §4.2): one token per kernel instance, not
/// re-entrant. An agent (an hthread, or a vmblock actor running a message's kernel work) that
/// finds it held spins; who goes next on release is unspecified in hardware, so it is drawn from
/// the run's seed. The token is handed over by a message, so the grant is visible in the trace.
/// </summary>
public sealed class BigKernelLock
{
    private readonly List<uint> spinners = new();

    /// <summary>Agent holding (or granted) the lock, or null.</summary>
    public uint? Holder { get; private set; }

    public IReadOnlyList<uint> Spinners => spinners;

    /// <summary>Takes the lock if free; otherwise the agent starts spinning. True when taken.</summary>
    public bool TryAcquire(uint agent)
    {
        if (Holder == agent)
        {
            throw new Data.BklDeadlockException($"agent {agent} re-acquires the BKL it holds");
        }

        if (Holder is null)
        {
            Holder = agent;
            return true;
        }

        if (spinners.Contains(agent))
        {
            throw new InvalidOperationException($"agent {agent} spins on the BKL twice");
        }

        spinners.Add(agent);
        return false;
    }

    /// <summary>Releases; returns the spinner it is handed to (drawn by <paramref name="choose"/>), or null.</summary>
    public uint? Release(uint agent, Func<int, int> choose)
    {
        if (Holder != agent)
        {
            throw new Data.KernelInvariantException("bkl", $"agent {agent} releases a BKL held by {Holder?.ToString() ?? "nobody"}");
        }

        if (spinners.Count == 0)
        {
            Holder = null;
            return null;
        }

        var index = choose(spinners.Count);
        var next = spinners[index];
        spinners.RemoveAt(index);
        Holder = next;
        return next;
    }
}
