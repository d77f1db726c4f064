using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using H2Sim.Cluster.Artifacts;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// The suite's files, in the upstream harness's names: test_results.json (how verdicts are judged,
/// then per result the test, kernel, verdict, diagnosis, seed, bugs, trace hash, h2sim version and
/// the command that reproduces it) and test_report.html, one self-contained page (no external
/// script or style): a matrix tests × kernels coloured by verdict; clicking a cell (or opening the
/// page at #TEST.KERNEL) shows that run's reproduce command, outcome, VM statuses, stranded
/// contexts and output.
/// </summary>
public static class SuiteReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string ResultsJson(SuiteResult result, SuiteRunInfo info) => JsonOutput.Write(w =>
    {
        WriteHeader(w, info);
        w.WriteStartArray("results");
        foreach (var entry in Ordered(result))
        {
            w.WriteStartObject();
            WriteVerdict(w, entry, info);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    public static string SummaryJson(SuiteResult result, SuiteRunInfo info, ArtifactList artifacts) => JsonOutput.Write(w =>
    {
        WriteHeader(w, info);
        w.WriteStartObject("kernels");
        foreach (var kernel in result.Kernels)
        {
            var (passed, failed) = result.Count(kernel);
            w.WriteStartObject(kernel.Name());
            w.WriteNumber("passed", passed);
            w.WriteNumber("failed", failed);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 3));
        w.WriteStartArray("results");
        foreach (var entry in Ordered(result))
        {
            w.WriteStartObject();
            WriteVerdict(w, entry, info);
            w.WritePropertyName("outcome");
            ReportJson.WriteOutcome(w, entry.Run.Report);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        artifacts.WriteJson(w);
    });

    /// <summary>Cells in matrix order: tests as listed, each on every kernel.</summary>
    public static IEnumerable<SuiteEntry> Ordered(SuiteResult result) =>
        result.Tests.SelectMany(test => result.Kernels.Select(kernel => result.At(test, kernel)));

    private static void WriteHeader(Utf8JsonWriter w, SuiteRunInfo info)
    {
        w.WriteString("suite", info.Suite);
        w.WriteString("judgedBy", SuiteRunInfo.JudgedBy);
        w.WriteString("h2simVersion", info.Version);
        w.WriteNumber("seed", info.Seed);
        WriteBugs(w, info.Bugs);
    }

    /// <summary>The fields every result entry has, in test_results.json and in the --json summary.</summary>
    private static void WriteVerdict(Utf8JsonWriter w, SuiteEntry entry, SuiteRunInfo info)
    {
        w.WriteString("test", entry.Test);
        w.WriteString("kernel", entry.Kernel.Name());
        w.WriteString("verdict", entry.Verdict.Kind);
        w.WriteString("detail", entry.Verdict.Detail);
        w.WriteNumber("seed", info.Seed);
        WriteBugs(w, info.Bugs);
        w.WriteString("traceHash", entry.Run.Result.TraceHashText);
        w.WriteString("h2simVersion", info.Version);
        w.WriteString("command", info.Command(entry));
    }

    private static void WriteBugs(Utf8JsonWriter w, KernelBug bugs)
    {
        w.WriteStartArray("bugs");
        foreach (var bug in KernelBugs.NamesOf(bugs))
        {
            w.WriteStringValue(bug);
        }

        w.WriteEndArray();
    }

    public static string Html(SuiteResult result, SuiteRunInfo info)
    {
        var html = new StringBuilder();
        html.Append(Head(result, info));
        AppendMatrix(html, result);
        html.Append("<div id=\"panel\"></div></div>\n<script type=\"application/json\" id=\"runs\">\n");
        html.Append(CellData(result, info));
        html.Append(Script);
        return html.ToString();
    }

    private static string CellData(SuiteResult result, SuiteRunInfo info)
    {
        var cells = Ordered(result).Select(e => new
        {
            test = e.Test,
            kernel = e.Kernel.Name(),
            verdict = e.Verdict.Kind,
            detail = e.Verdict.Detail,
            command = info.Command(e),
            outcome = e.Run.Report.OutcomeKind,
            outcomeDetail = e.Run.Report.Detail,
            vms = e.Run.Report.Vms.Select(v => new { name = v.Name, vmidx = v.Vm, kind = v.Kind, status = "0x" + v.Status.ToString("x", CultureInfo.InvariantCulture) }),
            stranded = e.Run.Report.Stranded.Select(s => new { vm = s.Vm, cpuidx = s.Cpuidx, status = s.Status, waitsOn = s.WaitsOn, whoCouldWake = s.WhoCouldWake }),
            printed = e.Run.Report.Printed,
            traceHash = e.Run.Result.TraceHashText,
            events = e.Run.Result.Events,
            cycles = e.Run.Result.VirtualCycles,
        }).ToList();
        return JsonSerializer.Serialize(cells, Indented).Replace("</", "<\\/", StringComparison.Ordinal);
    }

    private static string Head(SuiteResult result, SuiteRunInfo info) => string.Create(CultureInfo.InvariantCulture, $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>h2sim suite: {{Encode(info.Suite)}}</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
        table.matrix { border-collapse: collapse; }
        .matrix th, .matrix td { border: 1px solid #ccc; padding: 3px 10px; }
        .matrix td.cell { cursor: pointer; text-align: center; font-weight: 600; min-width: 6em; }
        .matrix td.cell:hover, .matrix td.cell.chosen { outline: 2px solid #333; }
        .PASS { background: #c8f0c8; } .FAIL { background: #ffe08a; } .HANG { background: #f7a8a8; }
        .TIMEOUT { background: #f9c38b; } .DEADLOCK { background: #e0b0f0; } .VIOLATION { background: #f0a0d0; }
        .layout { display: flex; gap: 1.5em; align-items: flex-start; }
        #panel { position: sticky; top: 1em; flex: 1; min-width: 28em; max-height: calc(100vh - 2em); overflow: auto; padding: 0 1em 1em; border: 1px solid #999; background: #fafafa; display: none; }
        #panel table { border-collapse: collapse; } #panel td, #panel th { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
        pre { background: #fff; border: 1px solid #ddd; padding: .5em; white-space: pre-wrap; }
        .command { display: flex; gap: .5em; align-items: center; } .command code { background: #fff; border: 1px solid #bbb; padding: .3em .5em; font-size: 13px; white-space: nowrap; overflow-x: auto; }
        .totals td { font-weight: 600; }
        </style></head><body>
        <h1>h2sim suite: {{Encode(info.Suite)}}</h1>
        <p>seed {{info.Seed}}{{(info.Bugs != KernelBug.None ? ", bugs: " + Encode(string.Join(", ", KernelBugs.NamesOf(info.Bugs))) : string.Empty)}}; {{result.Entries.Count}} runs in {{result.WallSeconds:0.00}} s; h2sim {{Encode(info.Version)}}.<br>
        Verdicts are judged as the upstream harness judges test.log: {{Encode(SuiteRunInfo.JudgedBy)}}. Click a cell for the run and the command that reproduces it.</p>
        <div class="layout"><table class="matrix"><thead><tr><th>test</th>
        """);

    private static void AppendMatrix(StringBuilder html, SuiteResult result)
    {
        foreach (var kernel in result.Kernels)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(kernel.Name())}</th>");
        }

        html.Append("</tr></thead><tbody>\n");
        var index = 0;
        foreach (var test in result.Tests)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(test)}</td>");
            foreach (var kernel in result.Kernels)
            {
                var verdict = result.At(test, kernel).Verdict;
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"cell {verdict.Kind}\" id=\"{Encode(test)}.{Encode(kernel.Name())}\" data-i=\"{index++}\" title=\"{Encode(verdict.Detail)}\">{verdict.Kind}</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("<tr class=\"totals\"><td>passed / failed</td>");
        foreach (var kernel in result.Kernels)
        {
            var (passed, failed) = result.Count(kernel);
            html.Append(CultureInfo.InvariantCulture, $"<td>{passed} passed, {failed} failed</td>");
        }

        html.Append("</tr></tbody></table>\n");
    }

    private const string Script = """

        </script>
        <script>
        const runs = JSON.parse(document.getElementById('runs').textContent);
        const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
        function show(i, scroll) {
          const r = runs[i], p = document.getElementById('panel');
          for (const td of document.querySelectorAll('td.cell')) td.classList.toggle('chosen', +td.dataset.i === i);
          let h = `<h2>${esc(r.test)} on ${esc(r.kernel)}: <span class="${r.verdict}">&nbsp;${r.verdict}&nbsp;</span></h2>`;
          h += `<div class="command"><b>reproduce</b> <code id="command">${esc(r.command)}</code> <button id="copy">copy</button></div>`;
          h += `<p><b>verdict</b>: ${esc(r.detail)}</p><p><b>outcome</b> ${esc(r.outcome)}: ${esc(r.outcomeDetail)}</p>`;
          h += '<h3>VMs</h3><table><tr><th>VM</th><th>vmidx</th><th>outcome</th><th>status</th></tr>';
          for (const v of r.vms) h += `<tr><td>${esc(v.name)}</td><td>${v.vmidx || '—'}</td><td>${esc(v.kind)}</td><td>${v.kind === 'exit' ? esc(v.status) : '—'}</td></tr>`;
          h += '</table>';
          if (r.stranded.length) {
            h += '<h3>Stranded contexts</h3><table><tr><th>vm</th><th>cpuidx</th><th>status</th><th>waits on</th><th>who could wake it</th></tr>';
            for (const s of r.stranded) h += `<tr><td>${s.vm}</td><td>${s.cpuidx}</td><td>${esc(s.status)}</td><td>${esc(s.waitsOn)}</td><td>${esc(s.whoCouldWake)}</td></tr>`;
            h += '</table>';
          }
          h += `<h3>Printed</h3><pre>${esc(r.printed.join('\n'))}</pre>`;
          h += `<p>trace hash ${esc(r.traceHash)}, ${r.events} events, ${r.cycles} cycles</p>`;
          p.innerHTML = h; p.style.display = 'block';
          document.getElementById('copy').onclick = () => navigator.clipboard && navigator.clipboard.writeText(r.command);
          history.replaceState(null, '', '#' + r.test + '.' + r.kernel);
          if (scroll && p.getBoundingClientRect().top > window.innerHeight) p.scrollIntoView({behavior: 'smooth'});
        }
        for (const td of document.querySelectorAll('td.cell')) td.addEventListener('click', () => show(+td.dataset.i, true));
        // test_report.html#TEST.KERNEL opens that cell's run.
        const opened = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (opened && opened.dataset.i) { show(+opened.dataset.i, false); opened.scrollIntoView({block: 'nearest'}); }
        </script>
        </body></html>

        """;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
