using System.Text.Json;
using H2Sim.Cli;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>With --json, stdout is exactly one JSON object with the fields the bench verbs promise.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class BenchJsonOutputTests
{
    private static readonly string[] PholdFields = ["traceHash", "events", "virtualCycles", "partitions", "seed", "wallSeconds", "eventsPerSecond"];

    [Fact]
    public void Bench_phold_json_is_one_object_with_the_run_and_the_same_hash_on_two_partitions()
    {
        var one = Object(CliRunner.Run("bench", "phold", "--events", "50000", "--warmup-events", "0", "--seed", "7", "--json"));
        var two = Object(CliRunner.Run("bench", "phold", "--events", "50000", "--warmup-events", "0", "--seed", "7", "--partitions", "2", "--json"));

        foreach (var field in PholdFields)
        {
            Assert.True(one.TryGetProperty(field, out _), $"missing field {field}");
        }

        Assert.Matches("^0x[0-9a-f]{16}$", one.GetProperty("traceHash").GetString());
        Assert.Equal(one.GetProperty("traceHash").GetString(), two.GetProperty("traceHash").GetString());
        Assert.Equal(one.GetProperty("events").GetUInt64(), two.GetProperty("events").GetUInt64());
        Assert.Equal(7UL, one.GetProperty("seed").GetUInt64());
        Assert.Equal(1, one.GetProperty("partitions").GetInt32());
        Assert.Equal(2, two.GetProperty("partitions").GetInt32());
        Assert.True(one.GetProperty("eventsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public void Bench_naive_json_is_one_object_with_events_per_second()
    {
        var naive = Object(CliRunner.Run("bench", "naive", "--lps", "256", "--events", "20000", "--warmup-events", "0", "--json"));

        Assert.True(naive.GetProperty("events").GetUInt64() > 10_000);
        Assert.True(naive.GetProperty("eventsPerSecond").GetDouble() > 0);
        Assert.False(naive.GetProperty("deterministic").GetBoolean());
    }

    [Fact]
    public void Bench_compare_json_gives_medians_ratios_and_one_hash_for_every_phold_run()
    {
        var compare = Object(CliRunner.Run("bench", "compare", "--lps", "256", "--events", "20000", "--warmup-events", "0", "--rounds", "3", "--seed", "7", "--kernel-storm", "none", "--json"));
        var phold = Object(CliRunner.Run("bench", "phold", "--lps", "256", "--events", "20000", "--warmup-events", "0", "--seed", "7", "--json"));

        Assert.True(compare.GetProperty("sameTraceHash").GetBoolean());
        Assert.Equal(phold.GetProperty("traceHash").GetString(), compare.GetProperty("traceHash").GetString());
        Assert.Equal(2, compare.GetProperty("partitions").GetInt32());
        Assert.Equal(3, compare.GetProperty("perRound").GetArrayLength());
        var perRound = compare.GetProperty("perRound").EnumerateArray().ToList();
        var ratios = perRound.Select(r => r.GetProperty("partitions").GetDouble() / r.GetProperty("onePartition").GetDouble()).Order().ToList();
        // Per-round rates are rounded to whole events/s, ratios to three decimals.
        Assert.InRange(compare.GetProperty("partitionsOverOneWithinRounds").GetDouble(), ratios[1] - 0.002, ratios[1] + 0.002);
        var medianOne = perRound.Select(r => r.GetProperty("onePartition").GetDouble()).Order().ElementAt(1);
        var medianTwo = perRound.Select(r => r.GetProperty("partitions").GetDouble()).Order().ElementAt(1);
        Assert.Equal(medianOne, compare.GetProperty("onePartitionEventsPerSecond").GetDouble());
        Assert.InRange(compare.GetProperty("partitionsOverOne").GetDouble(), (medianTwo / medianOne) - 0.002, (medianTwo / medianOne) + 0.002);
        Assert.True(compare.GetProperty("naiveEventsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public void Bench_compare_runs_the_kernel_models_storm_on_one_and_two_partitions_with_the_hash_a_plain_run_gives()
    {
        var storm = Path.Combine(Directory.CreateTempSubdirectory("h2sim-bench-compare-").FullName, "storm.yaml");
        Assert.Equal(ExitCodes.Success, CliRunner.Run("gen", "storm", "--clusters", "2", "--vms-per-cluster", "2", "--threads", "8", "--seed", "3", "-o", storm).ExitCode);
        var run = Object(CliRunner.Run("run", storm, "--kernel", "master", "--partitions", "2", "--json"));

        var compare = Object(CliRunner.Run("bench", "compare", "--lps", "64", "--events", "2000", "--warmup-events", "0", "--rounds", "2", "--kernel-storm", "2x2x8", "--json"));

        var kernel = compare.GetProperty("kernelModel");
        Assert.True(kernel.GetProperty("sameTraceHash").GetBoolean());
        Assert.Equal(run.GetProperty("traceHash").GetString(), kernel.GetProperty("traceHash").GetString());
        Assert.Equal(run.GetProperty("events").GetUInt64(), kernel.GetProperty("events").GetUInt64());
        Assert.Equal(run.GetProperty("windows").GetUInt64(), kernel.GetProperty("windows").GetUInt64());
        Assert.True(kernel.GetProperty("partitionsEventsPerSecond").GetDouble() > 0);
        Assert.InRange(kernel.GetProperty("partitionsBarrierWaitShare").GetDouble(), 0, 1);
    }

    [Theory]
    [InlineData("3y")]
    [InlineData("2x2")]
    [InlineData("1x2x8")]
    public void Bench_compare_refuses_a_kernel_storm_size_it_cannot_generate_in_one_line(string size)
    {
        var outcome = CliRunner.Run("bench", "compare", "--kernel-storm", size);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.StartsWith($"h2sim: --kernel-storm", outcome.Stderr);
        Assert.Single(outcome.Stderr.TrimEnd().Split('\n'));
    }

    private static JsonElement Object(CliOutcome outcome)
    {
        Assert.True(outcome.ExitCode == ExitCodes.Success, $"exit {outcome.ExitCode}: {outcome.Stderr}");
        Assert.Equal(string.Empty, outcome.Stderr);

        // JsonDocument.Parse refuses anything after the first value, so this is "exactly one".
        using var document = JsonDocument.Parse(outcome.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }
}
