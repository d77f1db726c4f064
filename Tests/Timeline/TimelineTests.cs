using System.Text.Json;
using System.Text.RegularExpressions;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.HwThreadActors.System;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.KernelActors.Config;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Kernel.Vm;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Timeline;

/// <summary>
/// The run timeline (architecture.md §11, docs/timeline.md): Chrome trace-event JSON that follows
/// the format (named tracks, ts in microseconds at 1 cycle = 1 ns, args on every event, flows
/// whose ends sit in slices, spans nesting per track, no empty spans), stranded contexts marked to
/// the end of a hang, and the same as a self-contained, compact HTML page.
/// </summary>
public sealed partial class TimelineTests
{
    private static TimelineDocument Draw(SystemDefinition definition, FaultPlan? faults = null)
    {
        var recorder = new TimelineRecorder();
        definition.Timeline = recorder;
        var (result, _) = H2Run.Run(definition, KernelVariant.Master, observer: recorder, faults: faults);
        return TimelineDocument.From(recorder, result.VirtualCycles, "test", result.Report, new KernelMessageNames(definition));
    }

    private static TimelineDocument DrawScenario(string name, KernelVariant kernel)
    {
        var scenario = ScenarioLoader.LoadFile(Path.Combine(ScenarioTestSupport.SuiteDirectory, name + ".yaml"));
        var recorder = new TimelineRecorder();
        var run = ScenarioRunner.Run(scenario, new ScenarioRunOptions(kernel), observer: recorder, timeline: recorder);
        return TimelineDocument.From(recorder, run.Result.VirtualCycles, name, run.Report, new KernelMessageNames(scenario.Build(null)));
    }

    private static List<JsonElement> ChromeEvents(TimelineDocument document, out JsonElement root)
    {
        using var stream = new MemoryStream();
        ChromeTraceWriter.Write(stream, document);
        root = JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
        return root.GetProperty("traceEvents").EnumerateArray().ToList();
    }

    private static string Phase(JsonElement e) => e.GetProperty("ph").GetString()!;

    private static (int, int) Track(JsonElement e) => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32());

    private static FaultPlan DelayHalfTheReschedInts()
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "RESCHED_INT", Action = "delay", Probability = 0.5, DelayMinCycles = 100, DelayMaxCycles = 200, Source = -1, Target = -1 });
        return plan;
    }

    [Fact]
    public void Every_chrome_trace_event_has_the_required_fields_and_args_and_every_track_is_named()
    {
        var events = ChromeEvents(Draw(CrossClusterParentTestsAccess.System(), DelayHalfTheReschedInts()), out var root);

        Assert.Equal("ns", root.GetProperty("displayTimeUnit").GetString());
        Assert.NotEmpty(events);
        foreach (var ev in events)
        {
            foreach (var field in new[] { "name", "ph", "ts", "pid", "tid", "args" })
            {
                Assert.True(ev.TryGetProperty(field, out _), $"event without {field}: {ev}");
            }
        }

        var named = events.Where(e => Phase(e) == "M" && e.GetProperty("name").GetString() == "thread_name").Select(Track).ToHashSet();
        var processes = events.Where(e => Phase(e) == "M" && e.GetProperty("name").GetString() == "process_name").Select(e => e.GetProperty("pid").GetInt32()).ToHashSet();
        Assert.All(events.Where(e => Phase(e) != "M"), e => Assert.Contains(Track(e), named));
        Assert.All(events.Where(e => Phase(e) != "M"), e => Assert.Contains(e.GetProperty("pid").GetInt32(), processes));
        Assert.Contains(events, e => Phase(e) == "M" && e.GetProperty("name").GetString() == "thread_name" && e.GetProperty("args").GetProperty("name").GetString() == "hthread 0");
    }

    [Fact]
    public void Span_timestamps_are_cycles_over_1000_and_guest_spans_name_their_vm_cpuidx_and_context()
    {
        var events = ChromeEvents(Draw(CrossClusterParentTestsAccess.System()), out _);
        var spans = events.Where(e => Phase(e) == "X" && e.GetProperty("cat").GetString() != "message").ToList();

        Assert.NotEmpty(spans);
        foreach (var span in spans.Where(s => s.GetProperty("cat").GetString() != "stranded"))
        {
            var args = span.GetProperty("args");
            var start = args.GetProperty("startCycles").GetUInt64();
            var end = args.GetProperty("endCycles").GetUInt64();
            Assert.Equal(start / 1000m, span.GetProperty("ts").GetDecimal());
            Assert.Equal((end - start) / 1000m, span.GetProperty("dur").GetDecimal());
            Assert.True(end > start, $"an empty span: {span}");
        }

        var guest = spans.Where(s => s.GetProperty("cat").GetString() == "guest").ToList();
        Assert.NotEmpty(guest);
        Assert.All(guest, g =>
        {
            var args = g.GetProperty("args");
            Assert.Equal($"{args.GetProperty("vm").GetInt32()}:{args.GetProperty("cpuidx").GetInt32()}", args.GetProperty("context").GetString());
            Assert.False(string.IsNullOrEmpty(args.GetProperty("vmName").GetString()));
        });
    }

    [Fact]
    public void Flows_pair_up_carry_the_message_id_and_both_ends_sit_inside_a_slice_of_their_track()
    {
        var events = ChromeEvents(Draw(CrossClusterParentTestsAccess.System(), DelayHalfTheReschedInts()), out _);
        var slices = events.Where(e => Phase(e) == "X")
            .GroupBy(Track)
            .ToDictionary(g => g.Key, g => g.Select(e => (Start: e.GetProperty("ts").GetDecimal(), End: e.GetProperty("ts").GetDecimal() + e.GetProperty("dur").GetDecimal())).ToList());
        var flows = events.Where(e => Phase(e) is "s" or "f").GroupBy(e => e.GetProperty("id").GetInt32()).ToList();

        Assert.Contains(flows, f => f.First().GetProperty("name").GetString()!.StartsWith("REMOTE-KILL", StringComparison.Ordinal));
        Assert.Contains(flows, f => f.First().GetProperty("name").GetString() == "IPI RESCHED_INT");
        Assert.Contains(flows, f => f.First().GetProperty("args").GetProperty("fault").GetString()!.StartsWith("delay +", StringComparison.Ordinal));
        foreach (var flow in flows)
        {
            Assert.Equal(["f", "s"], flow.Select(Phase).Order());
            Assert.Equal("e", flow.Single(e => Phase(e) == "f").GetProperty("bp").GetString());
            Assert.Matches(MessageId(), flow.First().GetProperty("args").GetProperty("messageId").GetString());
            foreach (var end in flow)
            {
                var ts = end.GetProperty("ts").GetDecimal();
                Assert.True(slices.TryGetValue(Track(end), out var track) && track.Any(s => s.Start <= ts && ts <= s.End), $"flow end outside any slice: {end}");
            }
        }

        var fault = events.First(e => Phase(e) == "i" && e.GetProperty("cat").GetString() == "fault");
        Assert.Matches(MessageId(), fault.GetProperty("args").GetProperty("messageId").GetString());
    }

    [Fact]
    public void Spans_nest_per_track()
    {
        var events = ChromeEvents(Draw(CrossClusterParentTestsAccess.System(), DelayHalfTheReschedInts()), out _);

        foreach (var track in events.Where(e => Phase(e) == "X").GroupBy(Track))
        {
            var spans = track.Select(e => (Start: e.GetProperty("ts").GetDecimal(), End: e.GetProperty("ts").GetDecimal() + e.GetProperty("dur").GetDecimal())).OrderBy(s => s.Start).ThenByDescending(s => s.End).ToList();
            var stack = new Stack<decimal>();
            foreach (var (start, end) in spans)
            {
                while (stack.Count > 0 && stack.Peek() <= start)
                {
                    stack.Pop();
                }

                Assert.True(stack.Count == 0 || end <= stack.Peek(), $"span [{start}, {end}) overlaps its parent on track {track.Key}");
                stack.Push(end);
            }
        }
    }

    [Fact]
    public void A_hang_marks_each_stranded_context_from_when_it_last_ran_to_the_end_with_what_it_waits_on()
    {
        var document = DrawScenario("stuck_in_mutex", KernelVariant.Base);
        var events = ChromeEvents(document, out _);

        // The holder and the blocker of the test VM, and the booter waiting for their CHILDINT.
        var stranded = events.Where(e => Phase(e) == "X" && e.GetProperty("cat").GetString() == "stranded").ToList();
        Assert.Equal(3, stranded.Count);
        Assert.Contains(stranded, s => s.GetProperty("args").GetProperty("waitsOn").GetString()!.Contains("booter.wake_sig", StringComparison.Ordinal));
        Assert.Contains(stranded, s => s.GetProperty("args").GetProperty("waitsOn").GetString()!.Contains("lock_pi", StringComparison.Ordinal));
        Assert.Contains(stranded, s => s.GetProperty("args").GetProperty("waitsOn").GetString()!.Contains("holder_park", StringComparison.Ordinal));
        Assert.All(stranded, s => Assert.Equal(document.EndCycles / 1000m, s.GetProperty("ts").GetDecimal() + s.GetProperty("dur").GetDecimal()));
        Assert.All(stranded, s => Assert.True(s.GetProperty("args").GetProperty("lastRanCycles").GetUInt64() > 0));

        Assert.Empty(DrawScenario("stuck_in_mutex", KernelVariant.Master).Stranded);
    }

    [Fact]
    public void The_html_page_is_self_contained_and_embeds_every_track_span_and_stranded_context()
    {
        var document = DrawScenario("stuck_in_mutex", KernelVariant.Base);
        using var stream = new MemoryStream();
        TimelineHtmlWriter.Write(stream, document);
        var html = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<canvas", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);
        var data = JsonDocument.Parse(DataScript().Match(html).Groups[1].Value).RootElement;
        var tracks = data.GetProperty("tracks").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("c0 hthread 0", tracks);
        Assert.Equal(document.Tracks.Count, tracks.Count);
        Assert.Equal(document.Spans.Count * 4, data.GetProperty("spans").EnumerateArray().Sum(t => t.GetArrayLength()));
        Assert.Equal(document.Flows.Count * 8, data.GetProperty("flows").GetArrayLength());
        Assert.Equal(3, data.GetProperty("stranded").GetArrayLength());
        Assert.Contains(data.GetProperty("labels").EnumerateArray(), l => l.GetString()!.StartsWith("BKL held: H2K_thread_create", StringComparison.Ordinal));
    }

    [Fact]
    public void The_html_page_of_a_teardown_storm_stays_compact()
    {
        var (text, _) = StormGenerator.Generate(new StormGenerator.Options(4, 4, 16, 0.5, 0.5, 1, 4));
        var scenario = ScenarioLoader.Load(text, "storm");
        var recorder = new TimelineRecorder();
        var run = ScenarioRunner.Run(scenario, new ScenarioRunOptions(KernelVariant.Master), observer: recorder, timeline: recorder);
        var document = TimelineDocument.From(recorder, run.Result.VirtualCycles, "storm", run.Report);
        using var stream = new MemoryStream();
        TimelineHtmlWriter.Write(stream, document);

        var elements = document.Spans.Count + document.Instants.Count + document.Flows.Count;
        Assert.True(elements > 3_000, $"only {elements} elements drawn");

        // About 17 bytes per span, trap and message: an 8×8×64 storm's ~69,000 make ~1.2 MB.
        Assert.True(stream.Length < 30L * elements + 64_000, $"{stream.Length} bytes for {elements} elements");
    }

    [GeneratedRegex("^[0-9]+:[0-9]+$")]
    private static partial Regex MessageId();

    [GeneratedRegex("<script type=\"application/json\" id=\"data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataScript();
}
