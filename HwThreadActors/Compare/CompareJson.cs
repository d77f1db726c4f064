using System.Text;
using System.Text.Json;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.Explore;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// compare.json: what was compared (designs, scenarios, budget, seed), per design the suite totals
/// and pooled figures, per cell the verdict, the schedule sample's figures and exploration's
/// findings (log paths relative to the output folder), and the scaling points. Cycles are
/// integers; a figure with no sample is null.
/// </summary>
public static class CompareJson
{
    /// <summary>The command that reruns a cell's suite run (scenario file, design, seed).</summary>
    public delegate string CommandFor(string scenarioFile, CompareDesign design, ulong seed);

    public static string Write(CompareResult result, CommandFor command)
    {
        var options = result.Options;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("h2simVersion", VersionInfo.Text);
            w.WriteNumber("seed", options.Seed);
            w.WriteNumber("runsPerCell", options.RunsPerCell);
            w.WriteString("sample", $"run 0 is the suite run (seed {options.Seed}); runs 1..{options.RunsPerCell - 1} take the next seeds and ±{options.SampleJitterPercentText()} % cost jitter, no message faults");
            w.WriteString("exploration", $"h2sim explore --strategy {options.Strategy.Name()} --faults none (choice points and guest timing, no message faults), the same number of runs per cell; each distinct failure minimised and replay-checked");
            w.WriteString("latency", "cycles from the first teardown request of a VM (exit(), the last pthread_exit, a parent's kill) to its parent reading num_cpus 0 after the CHILDINT wake");
            w.WriteString("bklHold", "the longest BKL critical section on the VM's cluster from that request (or the first kill mark) until num_cpus reached 0");
            w.WriteNumber("wallSeconds", Math.Round(result.WallSeconds, 1));
            w.WriteStartArray("designs");
            foreach (var design in options.Designs)
            {
                var cells = result.Of(design).ToList();
                w.WriteStartObject();
                w.WriteString("design", design.Label);
                w.WriteString("kernel", design.Kernel.Name());
                w.WriteStartObject("policies");
                foreach (var (name, value) in design.Policies?.Pairs() ?? [])
                {
                    w.WriteString(name, value);
                }

                w.WriteEndObject();
                w.WriteNumber("passed", cells.Count(c => c.Verdict.Passed));
                w.WriteNumber("failed", cells.Count(c => !c.Verdict.Passed));
                w.WriteNumber("explorationFailures", cells.Sum(c => c.Findings.Count));
                Stats(w, "latency", result.PooledLatency(design));
                Stats(w, "bklHold", result.PooledBklHold(design));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteCells(w, result, command);
            WriteScaling(w, result, command);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteCells(Utf8JsonWriter w, CompareResult result, CommandFor command)
    {
        w.WriteStartArray("cells");
        foreach (var cell in result.Cells)
        {
            w.WriteStartObject();
            w.WriteString("scenario", cell.Scenario);
            w.WriteString("design", cell.Design.Label);
            w.WriteString("verdict", cell.Verdict.Kind);
            w.WriteString("detail", cell.Verdict.Detail);
            w.WriteString("command", command(cell.ScenarioFile, cell.Design, result.Options.Seed));
            w.WriteNumber("sampleRuns", cell.SampleRuns);
            w.WriteNumber("sampleFailures", cell.SampleFailures);
            Stats(w, "latency", cell.Latency);
            Stats(w, "bklHold", cell.BklHold);
            w.WriteNumber("exploredRuns", cell.ExploredRuns);
            w.WriteStartArray("failures");
            foreach (var finding in cell.Findings)
            {
                w.WriteStartObject();
                w.WriteString("signature", finding.Signature);
                w.WriteString("kind", finding.Kind);
                w.WriteString("needs", finding.Needs);
                w.WriteBoolean("replayVerified", finding.ReplayVerified);
                w.WriteString("log", Relative(result, finding.Log));
                w.WriteString("summary", finding.Summary);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteScaling(Utf8JsonWriter w, CompareResult result, CommandFor command)
    {
        w.WriteStartArray("scaling");
        foreach (var point in result.Scaling)
        {
            w.WriteStartObject();
            w.WriteString("design", point.Design.Label);
            w.WriteNumber("vcpus", point.Vcpus);
            w.WriteString("verdict", point.Verdict.Kind);
            w.WriteString("command", command(point.ScenarioFile, point.Design, result.Options.Seed));
            w.WriteNumber("runs", point.Runs);
            Stats(w, "latency", point.Latency);
            Stats(w, "bklHold", point.BklHold);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Stats(Utf8JsonWriter w, string name, CycleStats stats)
    {
        if (stats.Count == 0)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("minCycles", stats.Min);
        w.WriteNumber("medianCycles", stats.Median);
        w.WriteNumber("maxCycles", stats.Max);
        w.WriteNumber("samples", stats.Count);
        w.WriteEndObject();
    }

    /// <summary>A log's path relative to the output folder, with forward slashes (a link from the page).</summary>
    public static string Relative(CompareResult result, string path) =>
        Path.GetRelativePath(result.Options.OutputDirectory, path).Replace('\\', '/');

    private static string SampleJitterPercentText(this CompareSetup options) =>
        CompareSetup.SampleJitterPercent.ToString(global::System.Globalization.CultureInfo.InvariantCulture);
}
