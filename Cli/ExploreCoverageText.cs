using H2Sim.HwThreadActors.Explore;

namespace H2Sim.Cli;

/// <summary>The coverage report on the terminal (`explore --coverage`).</summary>
public static class ExploreCoverageText
{
    public static void Print(TextWriter o, CoverageMap coverage)
    {
        o.WriteLine($"coverage: {coverage.Count} items ({coverage.CountOf(CoverageKind.Choice)} choice outcomes, {coverage.CountOf(CoverageKind.RacePair)} race pairs, {coverage.CountOf(CoverageKind.Kill)} kill × state, {coverage.CountOf(CoverageKind.Interrupt)} interrupt × state)");
        o.WriteLine("  contested choice points (point: who won, runs):");
        foreach (var (item, _, runs) in coverage.Items.Where(i => i.Item.Kind == CoverageKind.Choice))
        {
            o.WriteLine($"    {item.Row}: {item.Column} ({runs})");
        }

        var both = coverage.BothOrders().ToList();
        o.WriteLine($"  race pairs (got the BKL first / waited, runs); {both.Count} pair(s) seen in both orders:");
        foreach (var (item, _, runs) in coverage.Items.Where(i => i.Item.Kind == CoverageKind.RacePair))
        {
            var mark = both.Any(p => (p.First == item.Row && p.Second == item.Column) || (p.First == item.Column && p.Second == item.Row)) ? " (both orders)" : string.Empty;
            o.WriteLine($"    {item.Row} before {item.Column} ({runs}){mark}");
        }

        PrintMatrix(o, "kill × target state (runs)", CoverageMatrix.Of(coverage, CoverageKind.Kill));
        PrintMatrix(o, "interrupt × state at arrival (runs)", CoverageMatrix.Of(coverage, CoverageKind.Interrupt));
        o.WriteLine($"  coverage against runs: {Milestones(coverage.Curve)}");
    }

    private static void PrintMatrix(TextWriter o, string title, CoverageMatrix matrix)
    {
        o.WriteLine($"  {title}:");
        if (matrix.Rows.Count == 0)
        {
            o.WriteLine("    (none reached)");
            return;
        }

        var rowWidth = Math.Max(8, matrix.Rows.Max(r => r.Length));
        o.WriteLine($"    {string.Empty.PadRight(rowWidth)}  {string.Join("  ", matrix.Columns)}");
        foreach (var row in matrix.Rows)
        {
            var cells = matrix.Columns.Select(c => (matrix.Runs(row, c) is var n && n > 0 ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "·").PadLeft(c.Length));
            o.WriteLine($"    {row.PadRight(rowWidth)}  {string.Join("  ", cells)}");
        }
    }

    /// <summary>Items after run 1, 2, 5, 10, 20, 50, … and the last run.</summary>
    public static string Milestones(IReadOnlyList<int> curve)
    {
        var points = new List<string>();
        for (var n = 1; n <= curve.Count; n = n.ToString(System.Globalization.CultureInfo.InvariantCulture)[0] switch { '1' => n * 2, '2' => n * 5 / 2, _ => n * 2 })
        {
            points.Add($"{n}: {curve[n - 1]}");
        }

        if (curve.Count > 0 && !points.Last().StartsWith($"{curve.Count}:", StringComparison.Ordinal))
        {
            points.Add($"{curve.Count}: {curve[^1]}");
        }

        return points.Count == 0 ? "no runs" : string.Join(", ", points);
    }
}
