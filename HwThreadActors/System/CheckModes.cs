using H2Sim.Core.Input;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// How much of the kernel's state is checked after each critical section (`--check`):
/// `incremental` (the default) checks what the section changed and scans everything at the end of
/// the run; `full` scans everything after every section, which the tests use.
/// </summary>
public enum CheckMode
{
    Incremental,
    Full,
}

public static class CheckModes
{
    public static readonly IReadOnlyList<CheckMode> All = [CheckMode.Incremental, CheckMode.Full];

    /// <summary>The mode a spec gets when its maker names none (the test assembly sets full).</summary>
    public static CheckMode Default { get; set; } = CheckMode.Incremental;

    /// <summary>The name --check and a spec use.</summary>
    public static string Name(this CheckMode mode) => mode == CheckMode.Full ? "full" : "incremental";

    /// <summary>The mode a name denotes; false for a name that is none.</summary>
    public static bool TryParse(string name, out CheckMode mode) =>
        NamedValues.TryParse(All, m => m.Name(), name, CheckMode.Incremental, out mode);

    /// <summary>Decodes a spec's mode; a log written before specs named one checks incrementally.</summary>
    public static CheckMode Decode(string name)
    {
        if (name.Length == 0)
        {
            return CheckMode.Incremental;
        }

        return TryParse(name, out var mode)
            ? mode
            : throw new InputException($"unknown check mode '{name}' (valid: {string.Join(", ", All.Select(m => m.Name()))})");
    }
}
