using System.Globalization;
using System.Net;
using System.Text;
using H2Sim.HwThreadActors.Explore;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// compare.html: one self-contained page (no scripts or styles from elsewhere) that leads with the
/// per-design totals, then the suite verdict matrix, exploration's failures with links to their
/// minimised logs, the teardown figures per scenario, and the scaling table and charts.
/// </summary>
public static class CompareHtml
{
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"];

    public static string Write(CompareResult result, CompareJson.CommandFor command)
    {
        var html = new StringBuilder();
        var o = result.Options;
        html.Append(Head(result));
        AppendSummary(html, result);
        AppendMatrix(html, result, command);
        AppendFindings(html, result);
        AppendFigures(html, result);
        if (result.Scaling.Count > 0)
        {
            AppendScaling(html, result);
        }

        html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\">{o.Scenarios.Count} scenarios × {o.Designs.Count} designs in {result.WallSeconds:0.0} s. Machine-readable: <a href=\"compare.json\">compare.json</a>.</p>\n</body></html>\n");
        return html.ToString();
    }

    private static string Head(CompareResult result)
    {
        var o = result.Options;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>h2sim compare: {{o.Designs.Count}} designs</title>
            <style>
            body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 78em; }
            table { border-collapse: collapse; margin: .5em 0 1.2em; } th, td { border: 1px solid #ccc; padding: 3px 9px; }
            th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } td.d { white-space: nowrap; }
            td.v { text-align: center; font-weight: 600; }
            .PASS { background: #c8f0c8; } .FAIL { background: #ffe08a; } .HANG { background: #f7a8a8; }
            .TIMEOUT { background: #f9c38b; } .DEADLOCK { background: #e0b0f0; } .VIOLATION { background: #f0a0d0; }
            .x { font-weight: 400; color: #733; font-size: 12px; } .note { color: #555; }
            code { font-size: 12px; } h2 { margin-top: 1.4em; } td.log { white-space: nowrap; font-size: 12px; } td.sig { max-width: 40em; }
            </style></head><body>
            <h1>h2sim compare: {{Encode(string.Join(", ", o.Designs.Select(d => d.Label)))}}</h1>
            <p>The same {{o.Scenarios.Count}} scenarios on every design, seed {{o.Seed}}, h2sim {{Encode(Core.Recording.VersionInfo.Text)}}.
            Each cell: the suite's run (its verdict, judged as the upstream harness judges test.log), a schedule sample of
            {{o.RunsPerCell}} runs (the next seeds, ±{{CompareSetup.SampleJitterPercent}} % cost jitter, no message faults) for the figures, and
            {{o.RunsPerCell}} runs of exploration (<code>h2sim explore --strategy {{Encode(o.Strategy.Name())}} --faults none</code>: choice points and guest timing on correct hardware), every distinct failure minimised and replay-checked.
            <b>Teardown latency</b>: cycles from a VM's first teardown request (exit(), the last pthread_exit, a parent's kill) to its parent
            reading num_cpus 0 after the CHILDINT wake. <b>Longest BKL hold</b>: the longest critical section on the VM's cluster from
            that request until num_cpus reached 0, the real-time cost every other hthread pays.</p>
            """);
    }

    private static void AppendSummary(StringBuilder html, CompareResult result)
    {
        html.Append("<h2>Per design</h2>\n<table><tr><th>design</th><th>suite</th><th>exploration failures<br>(distinct)</th>"
            + "<th>teardown latency, cycles<br>min / median / max</th><th>longest BKL hold, cycles<br>min / median / max</th></tr>\n");
        foreach (var design in result.Options.Designs)
        {
            var cells = result.Of(design).ToList();
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><b>{Encode(design.Label)}</b></td><td class=\"num\">{cells.Count(c => c.Verdict.Passed)} passed, {cells.Count(c => !c.Verdict.Passed)} failed</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{cells.Sum(c => c.Findings.Count)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{Stats(result.PooledLatency(design))}</td><td class=\"num\">{Stats(result.PooledBklHold(design))}</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void AppendMatrix(StringBuilder html, CompareResult result, CompareJson.CommandFor command)
    {
        html.Append("<h2>Suite verdicts</h2>\n<p class=\"note\">A cell's tooltip holds the diagnosis and the command that reruns it; ✗ n: distinct failures exploration found in that cell.</p>\n<table><tr><th>scenario</th>");
        AppendDesignColumns(html, result);
        foreach (var scenario in result.Options.Scenarios)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(scenario.Name)}</td>");
            foreach (var cell in result.Cells.Where(c => c.Scenario == scenario.Name))
            {
                var found = cell.Findings.Count == 0 ? string.Empty : $" <span class=\"x\">✗ {cell.Findings.Count}</span>";
                var title = $"{cell.Verdict.Detail}\n{command(cell.ScenarioFile, cell.Design, result.Options.Seed)}";
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"v {cell.Verdict.Kind}\" title=\"{Encode(title)}\">{cell.Verdict.Kind}{found}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void AppendFindings(StringBuilder html, CompareResult result)
    {
        var rows = result.Cells.SelectMany(c => c.Findings.Select(f => (Cell: c, Finding: f))).ToList();
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"failures\">Exploration failures ({rows.Count})</h2>\n");
        if (rows.Count == 0)
        {
            html.Append("<p>None.</p>\n");
            return;
        }

        html.Append("<p class=\"note\">needs: what the minimised run still forces (guest-step perturbations, forced choices); no message faults are injected. Replay a log with <code>h2sim replay LOG --verify --timeline OUT</code>.</p>\n");
        html.Append("<table><tr><th>scenario</th><th>design</th><th>failure</th><th>needs</th><th>minimised log</th></tr>\n");
        foreach (var (cell, finding) in rows)
        {
            var link = CompareJson.Relative(result, finding.Log);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(cell.Scenario)}</td><td class=\"d\">{Encode(cell.Design.Label)}</td><td class=\"sig\" title=\"{Encode(finding.Summary)}\">{Encode(Shorten(finding.Signature))}</td><td>{Encode(finding.Needs)}{(finding.ReplayVerified ? "" : " (replay differs)")}</td><td class=\"log\"><a href=\"{Encode(link)}\" title=\"{Encode(link)}\">{Encode(Path.GetFileName(link))}</a></td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void AppendFigures(StringBuilder html, CompareResult result)
    {
        html.Append("<h2 id=\"figures\">Teardown figures per scenario</h2>\n<p class=\"note\">median latency (min–max) / longest BKL hold, cycles, over the schedule sample; — where no parent saw the VM drain.</p>\n<table><tr><th>scenario</th>");
        AppendDesignColumns(html, result);
        foreach (var scenario in result.Options.Scenarios)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(scenario.Name)}</td>");
            foreach (var cell in result.Cells.Where(c => c.Scenario == scenario.Name))
            {
                var text = cell.Latency.Count == 0 ? "—" : $"{cell.Latency.Median:N0} ({cell.Latency.Min:N0}–{cell.Latency.Max:N0}) / {cell.BklHold.Max:N0}";
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{text}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void AppendScaling(StringBuilder html, CompareResult result)
    {
        var sizes = result.Options.ScalingVcpus;
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"scaling\">Scaling: one VM of {string.Join(", ", sizes)} vCPUs</h2>\n<p class=\"note\">main and N−1 pthreads (3 of 4 blocked on a sem, 1 in a spin/yield loop), then exit(0); {result.Options.ScalingRuns} runs per point. Median latency / longest BKL hold, cycles; the verdict where it did not drain. Lines that coincide are drawn over each other.</p>\n<table><tr><th>design</th>");
        foreach (var n in sizes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{n} vCPUs</th>");
        }

        html.Append("</tr>\n");
        foreach (var design in result.Options.Designs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(design.Label)}</td>");
            foreach (var n in sizes)
            {
                var p = result.Scaling.First(s => s.Design == design && s.Vcpus == n);
                var text = p.Latency.Count == 0 ? $"<span class=\"{p.Verdict.Kind}\">&nbsp;{p.Verdict.Kind}&nbsp;</span>" : $"{p.Latency.Median:N0} / {p.BklHold.Max:N0}";
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{text}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n<div style=\"display:flex;gap:1em;flex-wrap:wrap\">");
        html.Append(Chart(result, "teardown latency (median, cycles)", p => p.Latency));
        html.Append(Chart(result, "longest BKL hold (max, cycles)", p => p.BklHold));
        html.Append("</div>\n");
    }

    /// <summary>An inline SVG chart: vCPU count (evenly spaced) against a log-scaled cycle figure, one line per design.</summary>
    private static string Chart(CompareResult result, string title, Func<ScalingPoint, CycleStats> figure)
    {
        const int width = 520, height = 280, left = 60, right = 185, top = 30, bottom = 40;
        var sizes = result.Options.ScalingVcpus;
        var values = result.Scaling.Select(p => (Point: p, Stats: figure(p))).Where(v => v.Stats.Count > 0)
            .Select(v => (v.Point, Value: title.Contains("median", StringComparison.Ordinal) ? v.Stats.Median : v.Stats.Max)).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Encode(title)}\"><text x=\"{left}\" y=\"18\" font-weight=\"600\">{Encode(title)}</text>");
        if (values.Count == 0)
        {
            return svg.Append("</svg>").ToString();
        }

        var lo = Math.Log10(Math.Max(1, values.Min(v => v.Value)));
        var hi = Math.Log10(Math.Max(10, values.Max(v => v.Value)));
        hi = hi - lo < 1 ? lo + 1 : hi;
        double X(int i) => left + ((width - left - right) * (sizes.Count == 1 ? 0.5 : (double)i / (sizes.Count - 1)));
        double Y(long v) => top + ((height - top - bottom) * (1 - ((Math.Log10(Math.Max(1, v)) - lo) / (hi - lo))));
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#888\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#888\"/>");
        for (var d = Math.Ceiling(lo); d <= Math.Floor(hi); d++)
        {
            var y = Y((long)Math.Pow(10, d));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left - 4}\" y1=\"{y:0.0}\" x2=\"{width - right}\" y2=\"{y:0.0}\" stroke=\"#eee\"/><text x=\"{left - 6}\" y=\"{y + 4:0.0}\" text-anchor=\"end\" font-size=\"11\">1e{d}</text>");
        }

        for (var i = 0; i < sizes.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):0.0}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{sizes[i]}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(left + width - right) / 2}\" y=\"{height - 6}\" text-anchor=\"middle\" font-size=\"11\">vCPUs in the VM</text>");
        var designs = result.Options.Designs;
        for (var d = 0; d < designs.Count; d++)
        {
            var color = Colors[d % Colors.Length];
            var points = values.Where(v => v.Point.Design == designs[d]).Select(v => (X: X(IndexOf(sizes, v.Point.Vcpus)), Y: Y(v.Value))).ToList();
            if (points.Count > 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(" ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.X:0.0},{p.Y:0.0}")))}\"/>");
            }

            foreach (var (x, y) in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x:0.0}\" cy=\"{y:0.0}\" r=\"3\" fill=\"{color}\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{width - right + 10}\" y=\"{top + (d * 18)}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{width - right + 24}\" y=\"{top + (d * 18) + 9}\" font-size=\"11\">{Encode(designs[d].Label + (points.Count == 0 ? " (never drained)" : string.Empty))}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static int IndexOf(IReadOnlyList<int> sizes, int n)
    {
        for (var i = 0; i < sizes.Count; i++)
        {
            if (sizes[i] == n)
            {
                return i;
            }
        }

        return 0;
    }

    private static string Stats(CycleStats s) => s.Count == 0 ? "—" : string.Create(CultureInfo.InvariantCulture, $"{s.Min:N0} / {s.Median:N0} / {s.Max:N0}");

    private static string Shorten(string signature) => signature.Length <= 70 ? signature : signature[..67] + "…";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>One column head per design, closing the header row.</summary>
    private static void AppendDesignColumns(StringBuilder html, CompareResult result)
    {
        foreach (var design in result.Options.Designs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(design.Label)}</th>");
        }

        html.Append("</tr>\n");
    }
}
