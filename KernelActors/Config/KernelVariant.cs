namespace H2Sim.KernelActors.Config;

/// <summary>The teardown design a run uses (h2-domain.md §7), chosen with --kernel.</summary>
public enum KernelVariant
{
    /// <summary>[B] BASE: no VM-wide reaper; gate VMWORK &amp;&amp; IE in futex only.</summary>
    Base,

    /// <summary>[P] PR #39 at 2bcf39cf: H2K_vm_stop, exiting flag, reaper, resched self-reap.</summary>
    Pr39,

    /// <summary>[M] master = [K]: KILL bit, VMOP_KILL_THREAD / VMOP_KILL_VM, gate VMWORK alone.</summary>
    Master,
}

public static class KernelVariants
{
    public static readonly IReadOnlyList<string> Names = ["base", "pr39", "master"];

    public static KernelVariant Parse(string name) => name switch
    {
        "base" => KernelVariant.Base,
        "pr39" => KernelVariant.Pr39,
        "master" => KernelVariant.Master,
        _ => throw new ArgumentException($"unknown kernel '{name}' (valid: {string.Join(", ", Names)})"),
    };

    public static string Name(this KernelVariant variant) => variant switch
    {
        KernelVariant.Base => "base",
        KernelVariant.Pr39 => "pr39",
        _ => "master",
    };
}
