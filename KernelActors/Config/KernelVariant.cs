using H2Sim.Core.Input;
namespace H2Sim.KernelActors.Config;

/// <summary>The teardown design a run uses (h2-domain.md §7, docs/designs.md), chosen with --kernel.</summary>
public enum KernelVariant
{
    /// <summary>[B] BASE: no VM-wide reaper; gate VMWORK &amp;&amp; IE in futex only.</summary>
    Base,

    /// <summary>[P] PR #39 at 2bcf39cf: H2K_vm_stop, exiting flag, reaper, resched self-reap.</summary>
    Pr39,

    /// <summary>[M] master = [K]: KILL bit, VMOP_KILL_THREAD / VMOP_KILL_VM, gate VMWORK alone.</summary>
    Master,

    /// <summary>
    /// [V] the PR #39 reviewers' design, built on [M]: VMOP_KILL_VM marks the VM dying, a dying VM
    /// refuses new vCPUs (policy refuse-create), and at num_cpus 0 the VM signals its parent or
    /// frees itself (policy on-empty). No C code exists; docs/designs.md specifies it.
    /// </summary>
    Review,
}

public static class KernelVariants
{
    /// <summary>The four designs in the order reports list them.</summary>
    public static readonly IReadOnlyList<KernelVariant> All = [KernelVariant.Base, KernelVariant.Pr39, KernelVariant.Master, KernelVariant.Review];

    /// <summary>The names --kernel and a run log's spec use, in the order of <see cref="All"/>.</summary>
    public static readonly IReadOnlyList<string> Names = [.. All.Select(v => v.Name())];

    /// <summary>The design a name denotes; false for a name that is none.</summary>
    public static bool TryParse(string name, out KernelVariant variant) =>
        NamedValues.TryParse(All, v => v.Name(), name, KernelVariant.Master, out variant);

    /// <summary>
    /// Decodes the name a spec carries (a run log, a node's copy of the spec); the command line
    /// parses --kernel into a <see cref="KernelVariant"/> at its edge.
    /// </summary>
    public static KernelVariant Parse(string name) =>
        TryParse(name, out var variant)
            ? variant
            : throw new Core.Input.InputException($"unknown kernel '{name}' (valid: {string.Join(", ", Names)})");

    public static string Name(this KernelVariant variant) => variant switch
    {
        KernelVariant.Base => "base",
        KernelVariant.Pr39 => "pr39",
        KernelVariant.Review => "review",
        _ => "master",
    };

    /// <summary>
    /// True for the designs with [M]'s KILL infrastructure (KILL bit, VMOP_KILL_*, the VMWORK-alone
    /// gate, H2K_vm_do_work_withlock): master, and review, which is built on it.
    /// </summary>
    public static bool HasKillInfrastructure(this KernelVariant variant) => variant is KernelVariant.Master or KernelVariant.Review;
}
