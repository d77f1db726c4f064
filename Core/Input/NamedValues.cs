namespace H2Sim.Core.Input;

/// <summary>Reads a value of a small fixed set (a kernel design, a check mode, a strategy) by the name the command line and specs use.</summary>
public static class NamedValues
{
    /// <summary>The value of <paramref name="all"/> whose name is <paramref name="text"/>; false (and <paramref name="fallback"/>) for a name that is none.</summary>
    public static bool TryParse<T>(IReadOnlyList<T> all, Func<T, string> name, string text, T fallback, out T value)
    {
        foreach (var candidate in all)
        {
            if (name(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = fallback;
        return false;
    }
}
