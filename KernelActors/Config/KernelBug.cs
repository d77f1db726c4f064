using H2Sim.Core.Input;
namespace H2Sim.KernelActors.Config;

/// <summary>
/// Historical bugs that can be put back (--bug NAME), so h2sim reproduces each with the toggle on
/// and shows the fix with it off (architecture.md §10, h2-domain.md §8).
/// </summary>
[Flags]
public enum KernelBug
{
    None = 0,

    /// <summary>R2: [M]'s block gates test VMWORK &amp;&amp; IE (and popup/intpool have none), as before 52782b75.</summary>
    VmworkGateNeedsIe = 1,

    /// <summary>R3: [M]'s deferred-work KILL branch calls the locking H2K_thread_stop with the BKL held.</summary>
    DoworkStopRelocksBkl = 2,

    /// <summary>R4: VMOP_KILL_VM(SELF) skips the caller, as on 06-25.</summary>
    KillvmSkipsCaller = 4,

    /// <summary>[P] without the num_cpus guard in H2K_vmblock_finalize_if_done_locked (R1).</summary>
    FinalizeNoNumcpusGuard = 8,
}

public static class KernelBugs
{
    private static readonly (string Name, KernelBug Bug)[] All =
    [
        ("vmwork-gate-needs-ie", KernelBug.VmworkGateNeedsIe),
        ("dowork-stop-relocks-bkl", KernelBug.DoworkStopRelocksBkl),
        ("killvm-skips-caller", KernelBug.KillvmSkipsCaller),
        ("finalize-no-numcpus-guard", KernelBug.FinalizeNoNumcpusGuard),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    /// <summary>The bug a name denotes; false for a name that is none.</summary>
    public static bool TryParse(string name, out KernelBug bug)
    {
        var match = All.FirstOrDefault(a => a.Name == name);
        bug = match.Bug;
        return match.Name is not null;
    }

    /// <summary>
    /// Decodes the names a spec carries (a run log, a node's copy of the spec); the command line
    /// parses --bug into a <see cref="KernelBug"/> at its edge.
    /// </summary>
    public static KernelBug Parse(IEnumerable<string> names)
    {
        var result = KernelBug.None;
        foreach (var name in names)
        {
            var match = All.FirstOrDefault(a => a.Name == name);
            if (match.Name is null)
            {
                throw new InputException($"unknown bug '{name}' (valid: {string.Join(", ", Names)})");
            }

            result |= match.Bug;
        }

        return result;
    }

    public static IEnumerable<string> NamesOf(KernelBug bugs) => All.Where(a => (bugs & a.Bug) != 0).Select(a => a.Name);
}
