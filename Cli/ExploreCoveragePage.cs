using System.Globalization;
using System.Net;
using System.Text;
using H2Sim.HwThreadActors.Explore;

namespace H2Sim.Cli;

/// <summary>
/// The coverage page of one exploration (explore --report DIR: explore_report.html), self-contained:
/// the figures, the failures with what each needed, coverage against runs as a small plot, the
/// contested choice points, the race pairs (both orders marked), and the kill × target-state and
/// interrupt × state matrices, shaded by how many runs reached each cell.
/// </summary>
public static class ExploreCoveragePage
{
    public static string Html(string title, ExploreResult result) => Page(title, Section(title, result));

    public static string Page(string title, string body) =>
        $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
        <style>
        body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; } h3 { font-size: 14px; }
        table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
        th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.hit { background: #cfe8cf; } td.miss { color: #bbb; } .fail { color: #a00; font-weight: 600; } .ok { color: #060; }
        code { background: #f5f5f5; padding: 1px 4px; } svg { border: 1px solid #ddd; background: #fff; }
        </style></head><body>
        {{body}}
        </body></html>
        """;

    public static string Section(string title, ExploreResult result)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>\n<table><tr><th>strategy</th><th>runs</th><th>runs/s</th><th>distinct failures</th><th>runs to first failure</th><th>coverage items</th></tr>");
        b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(result.Strategy)}</td><td class=n>{result.Runs}</td><td class=n>{result.RunsPerSecond:0}</td><td class=n>{result.Failures.Count}</td><td class=n>{(result.RunsToFirstFailure?.ToString(CultureInfo.InvariantCulture) ?? "—")}</td><td class=n>{result.Coverage.Count}</td></tr></table>\n");
        if (result.Exhaustive is { } x)
        {
            b.Append(CultureInfo.InvariantCulture, $"<p>Exhaustive, bound {x.Bound}: {x.Runs} assignments run, {x.SkippedRepeats} branch point(s) skipped as repeated states; {(x.Covered ? "<span class=ok>the bounded space is covered</span>" : "<span class=fail>not covered (run limit)</span>")}.</p>\n");
        }

        b.Append("<h2>Failures</h2>\n");
        if (result.Failures.Count == 0)
        {
            b.Append("<p class=ok>none</p>\n");
        }
        else
        {
            b.Append("<table><tr><th>signature</th><th>first run</th><th>needs (minimised)</th><th>log</th><th>replay</th></tr>");
            foreach (var f in result.Failures)
            {
                b.Append(CultureInfo.InvariantCulture, $"<tr><td class=fail>{E(f.Signature)}</td><td class=n>{f.FirstRun}</td><td>{E(f.Needs)}</td><td><code>{E(f.Log ?? "not saved")}</code></td><td>{(f.ReplayVerified is { } v ? (v ? "<span class=ok>reproduces</span>" : "<span class=fail>diverges</span>") : "—")}</td></tr>");
            }

            b.Append("</table>\n");
        }

        b.Append("<h2>Coverage against runs</h2>\n").Append(Plot(result.Coverage.Curve)).Append('\n');
        AppendChoices(b, result.Coverage);
        AppendPairs(b, result.Coverage);
        AppendMatrix(b, "Kill × target state", CoverageMatrix.Of(result.Coverage, CoverageKind.Kill));
        AppendMatrix(b, "Interrupt × state at arrival", CoverageMatrix.Of(result.Coverage, CoverageKind.Interrupt));
        return b.ToString();
    }

    /// <summary>Distinct items after each run, as a polyline (x: runs, y: items).</summary>
    public static string Plot(IReadOnlyList<int> curve, int width = 420, int height = 140)
    {
        if (curve.Count == 0)
        {
            return "<p>no runs</p>";
        }

        var max = Math.Max(1, curve.Max());
        var points = string.Join(" ", curve.Select((y, i) => string.Create(CultureInfo.InvariantCulture, $"{30 + ((width - 40) * (curve.Count == 1 ? 1 : i / (double)(curve.Count - 1))):0.0},{height - 20 - ((height - 30) * y / (double)max):0.0}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"<svg width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"coverage against runs\"><polyline fill=\"none\" stroke=\"#2a6\" stroke-width=\"2\" points=\"{points}\"/><text x=\"4\" y=\"14\" font-size=\"11\">{max} items</text><text x=\"{width - 90}\" y=\"{height - 4}\" font-size=\"11\">{curve.Count} runs</text><line x1=\"30\" y1=\"{height - 20}\" x2=\"{width - 10}\" y2=\"{height - 20}\" stroke=\"#999\"/><line x1=\"30\" y1=\"10\" x2=\"30\" y2=\"{height - 20}\" stroke=\"#999\"/></svg>");
    }

    private static void AppendChoices(StringBuilder b, CoverageMap coverage)
    {
        b.Append("<h2>Contested choice points</h2>\n<table><tr><th>choice point</th><th>who won</th><th>runs</th><th>first run</th></tr>");
        foreach (var (item, first, runs) in coverage.Items.Where(i => i.Item.Kind == CoverageKind.Choice))
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(item.Row)}</td><td>{E(item.Column)}</td><td class=n>{runs}</td><td class=n>{first}</td></tr>");
        }

        b.Append("</table>\n");
    }

    private static void AppendPairs(StringBuilder b, CoverageMap coverage)
    {
        var both = coverage.BothOrders().SelectMany(p => new[] { (p.First, p.Second), (p.Second, p.First) }).ToHashSet();
        b.Append(CultureInfo.InvariantCulture, $"<h2>Race pairs at the BKL ({both.Count / 2} seen in both orders)</h2>\n<table><tr><th>got the BKL first</th><th>waited</th><th>runs</th><th>first run</th><th>both orders</th></tr>");
        foreach (var (item, first, runs) in coverage.Items.Where(i => i.Item.Kind == CoverageKind.RacePair))
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(item.Row)}</td><td>{E(item.Column)}</td><td class=n>{runs}</td><td class=n>{first}</td><td>{(both.Contains((item.Row, item.Column)) ? "yes" : string.Empty)}</td></tr>");
        }

        b.Append("</table>\n");
    }

    private static void AppendMatrix(StringBuilder b, string title, CoverageMatrix matrix)
    {
        b.Append(CultureInfo.InvariantCulture, $"<h2>{E(title)} ({matrix.Reached} cell(s) reached)</h2>\n");
        if (matrix.Rows.Count == 0)
        {
            b.Append("<p>none reached</p>\n");
            return;
        }

        b.Append("<table><tr><th></th>");
        foreach (var column in matrix.Columns)
        {
            b.Append(CultureInfo.InvariantCulture, $"<th>{E(column)}</th>");
        }

        b.Append("</tr>");
        foreach (var row in matrix.Rows)
        {
            b.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(row)}</th>");
            foreach (var column in matrix.Columns)
            {
                var runs = matrix.Runs(row, column);
                b.Append(runs > 0 ? $"<td class=\"n hit\">{runs}</td>" : "<td class=\"n miss\">·</td>");
            }

            b.Append("</tr>");
        }

        b.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
