namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// Coverage over an exploration: each item with the number of runs that reached it and the run
/// that reached it first, and the number of distinct items after each run (the curve the report
/// plots). Items are kept in the order first reached, so reports do not depend on hash order.
/// </summary>
public sealed class CoverageMap
{
    private readonly Dictionary<CoverageItem, int> index = new();
    private readonly List<(CoverageItem Item, int FirstRun, int Runs)> items = new();

    public IReadOnlyList<(CoverageItem Item, int FirstRun, int Runs)> Items => items;

    /// <summary>Distinct items after run 1, 2, … .</summary>
    public List<int> Curve { get; } = new();

    public int Count => items.Count;

    /// <summary>Adds one run's items (in a fixed order); returns how many were new.</summary>
    public int Add(int run, IEnumerable<CoverageItem> reached)
    {
        var added = 0;
        foreach (var item in reached.OrderBy(i => i.Kind).ThenBy(i => i.Row, StringComparer.Ordinal).ThenBy(i => i.Column, StringComparer.Ordinal))
        {
            if (index.TryGetValue(item, out var at))
            {
                items[at] = (item, items[at].FirstRun, items[at].Runs + 1);
                continue;
            }

            index[item] = items.Count;
            items.Add((item, run, 1));
            added++;
        }

        Curve.Add(items.Count);
        return added;
    }

    public int CountOf(CoverageKind kind) => items.Count(i => i.Item.Kind == kind);

    /// <summary>Race pairs seen in both orders (A before B and B before A), each pair once.</summary>
    public IEnumerable<(string First, string Second)> BothOrders()
    {
        var pairs = items.Where(i => i.Item.Kind == CoverageKind.RacePair).Select(i => (i.Item.Row, i.Item.Column)).ToList();
        var set = pairs.ToHashSet();
        return pairs.Where(p => string.CompareOrdinal(p.Row, p.Column) < 0 && set.Contains((p.Column, p.Row)));
    }
}
