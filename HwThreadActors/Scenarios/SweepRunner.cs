using System.Globalization;
using H2Sim.Core.Input;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>A parameter range FROM..TO[:STEP] as `--param NAME=…` writes it.</summary>
public sealed record SweepRange(string Name, long From, long To, long Step)
{
    /// <summary>The values, counted rather than compared, so a range that ends near ±2^63 cannot wrap.</summary>
    public IEnumerable<long> Values()
    {
        for (var i = 0L; i < Count; i++)
        {
            yield return From + (i * Step);
        }
    }

    public int Count => (int)ValueCount(From, To, Math.Abs(Step));

    /// <summary>How many values FROM..TO:STEP has, in 128 bits: TO − FROM may not fit 64.</summary>
    private static Int128 ValueCount(long from, long to, long step) => (Int128.Abs((Int128)to - from) / step) + 1;

    public static SweepRange Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var range = equals < 0 ? -1 : text.IndexOf("..", equals, StringComparison.Ordinal);
        if (equals <= 0 || range < 0)
        {
            throw new InputException($"sweep range '{text}': expected NAME=FROM..TO[:STEP]");
        }

        var name = text[..equals];
        var rest = text[(range + 2)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var toText = colon < 0 ? rest : rest[..colon];
        var stepText = colon < 0 ? "1" : rest[(colon + 1)..];
        if (!ScenarioExpr.TryParseInteger(text[(equals + 1)..range], out var from)
            || !ScenarioExpr.TryParseInteger(toText, out var to)
            || !ScenarioExpr.TryParseInteger(stepText, out var step) || step <= 0)
        {
            throw new InputException($"sweep range '{text}': expected NAME=FROM..TO[:STEP] with integers and a positive step");
        }

        var count = ValueCount(from, to, step);
        if (count > 100_000)
        {
            throw new InputException($"sweep range '{text}': {count} values is too many (at most 100000)");
        }

        return new SweepRange(name, from, to, from <= to ? step : -step);
    }
}

/// <summary>One value of a sweep: the run's outcome, verdict and the BKL race that decided it.</summary>
public sealed record SweepPoint(long Value, string Outcome, Verdict Verdict, BklRace? Race, string TraceHash);

/// <summary>Where the outcome changes between two neighbouring values.</summary>
public sealed record SweepFlip(long Before, long After, string From, string To);

public sealed record SweepResult(Scenario Scenario, KernelVariant Kernel, SweepRange Range, IReadOnlyList<SweepPoint> Points, IReadOnlyList<SweepFlip> Flips, double WallSeconds);

/// <summary>
/// Runs a scenario once per value of one parameter (in-process, in parallel: runs are independent
/// and deterministic), records each run's BKL acquisitions, and finds the flip points.
/// </summary>
public static class SweepRunner
{
    public static SweepResult Run(Scenario scenario, SweepRange range, ScenarioRunOptions baseOptions, Action<SweepPoint>? progress = null)
    {
        scenario.ParameterValues(new Dictionary<string, long> { [range.Name] = range.From });
        var stopwatch = global::System.Diagnostics.Stopwatch.StartNew();
        var values = range.Values().ToList();
        var points = new SweepPoint[values.Count];
        var gate = new Lock();
        Parallel.For(0, values.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var parameters = new Dictionary<string, long>(baseOptions.Params ?? new Dictionary<string, long>(), StringComparer.Ordinal) { [range.Name] = values[i] };
            var options = baseOptions with { Params = parameters };
            var definition = scenario.Build(parameters);
            var log = new BklRaceLog(definition);
            var spec = ScenarioRunner.Spec(scenario, options);
            var result = Core.Run.InProcessRunner.Run(spec, new ScenarioModelFactory(definition, log.Observe), options.Partitions);
            var verdict = Verdict.Judge(scenario, result.Report);
            points[i] = new SweepPoint(values[i], Outcome(result.Report), verdict, log.Decisive(), result.TraceHashText);
            lock (gate)
            {
                progress?.Invoke(points[i]);
            }
        });

        var flips = new List<SweepFlip>();
        for (var i = 1; i < points.Length; i++)
        {
            if (points[i].Outcome != points[i - 1].Outcome)
            {
                flips.Add(new SweepFlip(points[i - 1].Value, points[i].Value, points[i - 1].Outcome, points[i].Outcome));
            }
        }

        stopwatch.Stop();
        return new SweepResult(scenario, baseOptions.Kernel, range, points, flips, stopwatch.Elapsed.TotalSeconds);
    }

    /// <summary>"exit 0x0", "hang (2 stranded)", …: what a flip compares.</summary>
    public static string Outcome(Protocol.Model.ModelReport report) => report.OutcomeKind switch
    {
        "exit" => "exit " + string.Join(",", report.Vms.Select(v => "0x" + v.Status.ToString("x", CultureInfo.InvariantCulture))),
        "hang" or "timeout" => $"{report.OutcomeKind} ({report.Stranded.Count} stranded)",
        "angel-exit" => "angel-exit " + report.Figures.GetValueOrDefault("angel-exit-code", "?"),
        _ => report.OutcomeKind,
    };
}
