using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// The big kernel lock (k0lock/k0unlock, h2-domain.md §4.2): one token per kernel instance, not
/// re-entrant. An agent (an hthread, or a vmblock actor running a message's kernel work) that
/// reaches it asks for it; who gets it when several ask is unspecified in hardware, so it is a
/// choice point: the agents that reach a free lock in the same cycle are its contenders until the
/// cycle's arbitration (<see cref="Award"/>), and the agents that find it held spin until a
/// release hands it to one of them (<see cref="HandTo"/>).
/// </summary>
public sealed class BigKernelLock
{
    private readonly List<uint> spinners = new();
    private readonly List<uint> contenders = new();

    /// <summary>Agent holding (or granted) the lock, or null.</summary>
    public uint? Holder { get; private set; }

    /// <summary>Agents spinning on a held lock, in the order they started (ascending agents within a cycle).</summary>
    public IReadOnlyList<uint> Spinners => spinners;

    /// <summary>Agents that reached the free lock this cycle and wait for its arbitration.</summary>
    public IReadOnlyList<uint> Contenders => contenders;

    /// <summary>
    /// An agent reaches the lock. Returns true when it is the first to reach a free lock this cycle:
    /// the caller then arbitrates at the end of the cycle.
    /// </summary>
    public bool Arrive(uint agent)
    {
        if (Holder == agent || contenders.Contains(agent))
        {
            throw new BklDeadlockException($"agent {agent} re-acquires the BKL it holds");
        }

        if (spinners.Contains(agent))
        {
            throw new KernelInvariantException("bkl", $"agent {agent} spins on the BKL twice");
        }

        if (Holder is not null)
        {
            spinners.Add(agent);
            return false;
        }

        contenders.Add(agent);
        return contenders.Count == 1;
    }

    /// <summary>Candidates of the cycle's arbitration, ascending (the order a choice index refers to).</summary>
    public void CopyContenders(Span<uint> destination)
    {
        contenders.Sort();
        contenders.CopyTo(destination);
    }

    /// <summary>The arbitration: contender <paramref name="index"/> holds the lock, the others spin.</summary>
    public uint Award(int index)
    {
        contenders.Sort();
        var winner = contenders[index];
        for (var i = 0; i < contenders.Count; i++)
        {
            if (i != index)
            {
                spinners.Add(contenders[i]);
            }
        }

        contenders.Clear();
        Holder = winner;
        return winner;
    }

    /// <summary>The holder releases; if agents spin, the caller chooses one and calls <see cref="HandTo"/>.</summary>
    public void Release(uint agent)
    {
        if (Holder != agent)
        {
            throw new KernelInvariantException("bkl", $"agent {agent} releases a BKL held by {Holder?.ToString() ?? "nobody"}");
        }

        Holder = null;
    }

    /// <summary>Hands the released lock to spinner <paramref name="index"/>.</summary>
    public uint HandTo(int index)
    {
        var next = spinners[index];
        spinners.RemoveAt(index);
        Holder = next;
        return next;
    }

    /// <summary>Copies the spinners in the order a choice index refers to.</summary>
    public void CopySpinners(Span<uint> destination) => spinners.CopyTo(destination);
}
