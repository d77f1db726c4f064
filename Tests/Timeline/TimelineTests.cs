using System.Text.Json;
using H2Sim.HwThreadActors.System;
using H2Sim.HwThreadActors.Timeline;
using H2Sim.Protocol.Model;
using H2Sim.Tests.Faults;
using H2Sim.Tests.Kernel.Vm;
using Xunit;

namespace H2Sim.Tests.Timeline;

/// <summary>
/// The run timeline (architecture.md §11): Chrome trace-event JSON whose events all carry the
/// required fields, whose flows each have a start and an end, and whose spans nest per track;
/// and the same as a self-contained HTML page.
/// </summary>
public sealed class TimelineTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-timeline-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private (string Json, string Html) Draw(SystemDefinition definition, FaultPlan? faults = null)
    {
        var recorder = new TimelineRecorder();
        definition.Timeline = recorder;
        var (result, _) = H2Run.Run(definition, "master", observer: recorder, faults: faults);
        recorder.Close(result.VirtualCycles);
        var json = Path.Combine(directory, "timeline.json");
        var html = Path.Combine(directory, "timeline.html");
        ChromeTraceWriter.Write(json, recorder, "test");
        TimelineHtmlWriter.Write(html, recorder, "test");
        return (json, html);
    }

    [Fact]
    public void Chrome_trace_events_have_the_required_fields_flows_pair_up_and_spans_nest_per_track()
    {
        var plan = new FaultPlan();
        plan.Rules.Add(new FaultRule { Kind = "RESCHED_INT", Action = "delay", Probability = 0.5, DelayMinCycles = 100, DelayMaxCycles = 200, Source = -1, Target = -1 });
        var (jsonPath, _) = Draw(CrossClusterParentTestsAccess.System(), plan);
        using var document = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var events = document.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();

        Assert.NotEmpty(events);
        foreach (var ev in events)
        {
            foreach (var field in new[] { "name", "ph", "ts", "pid", "tid" })
            {
                Assert.True(ev.TryGetProperty(field, out _), $"event without {field}: {ev}");
            }

            if (ev.GetProperty("ph").GetString() == "X")
            {
                Assert.True(ev.GetProperty("dur").GetDouble() >= 0);
            }
        }

        var flows = events.Where(e => e.GetProperty("ph").GetString() is "s" or "f").GroupBy(e => e.GetProperty("id").GetInt32()).ToList();
        Assert.Contains(flows, f => f.First().GetProperty("name").GetString()!.StartsWith("REMOTE-KILL", StringComparison.Ordinal));
        Assert.Contains(flows, f => f.First().GetProperty("name").GetString()!.StartsWith("IPI", StringComparison.Ordinal));
        Assert.All(flows, f => Assert.Equal(["f", "s"], f.Select(e => e.GetProperty("ph").GetString()).Order()));
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("cat").GetString() == "fault");

        foreach (var track in events.Where(e => e.GetProperty("ph").GetString() == "X").GroupBy(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32())))
        {
            var spans = track.Select(e => (Start: e.GetProperty("ts").GetDouble(), End: e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble())).OrderBy(s => s.Start).ThenByDescending(s => s.End).ToList();
            var stack = new Stack<double>();
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
    public void The_html_page_is_self_contained_and_shows_every_hthread_track()
    {
        var (_, htmlPath) = Draw(MinimizeTests.System());
        var html = File.ReadAllText(htmlPath);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("http://cdn", html);
        for (var h = 0; h < 4; h++)
        {
            Assert.Contains($"c0 hthread {h}", html);
        }

        Assert.Contains("BKL held: H2K_thread_create", html);
    }
}
