namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// The known names closest to a mistyped one (edit distance, ties by name), so an error
/// can say "did you mean sem_post?" instead of listing every name there is.
/// </summary>
public static class ClosestNames
{
    /// <summary>At most <paramref name="max"/> names within a third of the typed length (at least 1 edit) of <paramref name="typed"/>.</summary>
    public static IReadOnlyList<string> To(string typed, IEnumerable<string> known, int max = 3)
    {
        var limit = Math.Max(1, typed.Length / 3);
        return known
            .Select(name => (Name: name, Distance: Distance(typed, name)))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>"did you mean 'a' or 'b'?" or, when nothing is close, <paramref name="otherwise"/>.</summary>
    public static string Hint(string typed, IEnumerable<string> known, string otherwise)
    {
        var close = To(typed, known);
        return close.Count == 0 ? otherwise : $"did you mean {string.Join(" or ", close.Select(n => $"'{n}'"))}?";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
