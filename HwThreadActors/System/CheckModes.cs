namespace H2Sim.HwThreadActors.System;

/// <summary>
/// How much of the kernel's state is checked after each critical section (`--check`):
/// `incremental` (the default) checks what the section changed and scans everything at the end of
/// the run; `full` scans everything after every section, which the tests use.
/// </summary>
public static class CheckModes
{
    public const string Incremental = "incremental";
    public const string Full = "full";

    public static readonly IReadOnlyList<string> All = [Incremental, Full];

    /// <summary>The mode a spec gets when its maker names none (the test assembly sets full).</summary>
    public static string Default { get; set; } = Incremental;
}
