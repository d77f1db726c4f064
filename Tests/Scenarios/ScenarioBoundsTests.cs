using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Scenarios;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// Input that once crashed or hung the loader (a stack overflow, a cycle, a wrapped number) is an
/// error with the file, the line and what was expected (docs/scenarios.md, "Ranges").
/// </summary>
public sealed class ScenarioBoundsTests
{
    private const string Main = "vms:\n  - threads:\n      main:\n";

    [Theory]
    [InlineData("vms: &v [{name: test, threads: {main: *v}}]\n", 1, "refers to a node that contains it")]
    [InlineData("vms: *nowhere\n", 1, "names no anchor")]
    public void An_alias_that_makes_a_cycle_or_names_nothing_is_an_error_with_its_line(string yaml, long line, string message) =>
        AssertError(yaml, line, message);

    [Fact]
    public void Yaml_nested_thousands_deep_is_an_error_not_a_stack_overflow()
    {
        AssertError(Main + "        " + string.Concat(Enumerable.Repeat("- ", 100_000)) + "1\n", 4, "nested deeper than 64 levels");
        AssertError("vms: " + new string('[', 100_000) + new string(']', 100_000) + "\n", 1, "nested deeper than 64 levels");
    }

    [Fact]
    public void Aliases_that_expand_to_millions_of_nodes_are_an_error()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 8; i++)
        {
            yaml += $"b{i}: &b{i} [{string.Join(", ", Enumerable.Repeat(i == 0 ? "*a" : $"*b{i - 1}", 10))}]\n";
        }

        AssertError(yaml + "vms: [{threads: {main: [yield]}}]\n", 7, "nodes with aliases expanded");
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(100_000)]
    public void Expressions_nested_thousands_deep_are_an_error_not_a_stack_overflow(int depth)
    {
        AssertError(Main + $"        - spin: \"{new string('(', depth)}1{new string(')', depth)}\"\n", 4, "spin cycles:");
        AssertError(Main + $"        - spin: \"{new string('!', depth)}1\"\n", 4, "spin cycles:");
        AssertError(Main + $"        - spin: \"{new string('-', depth)}1\"\n", 4, "spin cycles:");
    }

    [Fact]
    public void A_sum_of_500000_terms_is_an_error_at_load_not_a_stack_overflow_when_evaluated()
    {
        AssertError(Main + "        - spin: " + string.Join("+", Enumerable.Repeat("1", 500_000)) + "\n", 4, "at most 4096 characters");
        AssertError(Main + "        - spin: " + string.Join("+", Enumerable.Repeat("1", 100)) + "\n", 4, "nests more than 64 levels deep");
    }

    [Theory]
    [InlineData("(-9223372036854775807 - 1) / -1", "-9223372036854775808 / -1 does not fit 64 bits")]
    [InlineData("(-9223372036854775807 - 1) % -1", "-9223372036854775808 % -1 does not fit 64 bits")]
    [InlineData("9223372036854775807 + 1", "9223372036854775807 + 1 does not fit 64 bits")]
    [InlineData("4611686018427387904 * 2", "4611686018427387904 * 2 does not fit 64 bits")]
    [InlineData("-(-9223372036854775807 - 1)", "does not fit 64 bits")]
    public void Arithmetic_on_constants_that_overflows_is_an_error_at_the_operations_line(string expression, string message) =>
        AssertError(Main + "        - yield\n" + $"        - spin: {expression}\n", 5, message);

    [Fact]
    public void The_most_negative_number_is_a_literal()
    {
        var scenario = ScenarioLoader.Load(Main + "        - spin: -9223372036854775808\n", "min.yaml");

        Assert.Equal(long.MinValue, scenario.Vms[0].Threads["main"].Ops[0].Expr("cycles")!.ConstantValue);
    }

    [Theory]
    [InlineData("objects: {s: {[1]: 2}}", "expected the type of object 's', found a list")]
    [InlineData("cluster: 2147483648", "expected a cluster index in 0..63, found 2147483648")]
    [InlineData("cluster: 4294967296", "expected a cluster index in 0..63, found 4294967296")]
    [InlineData("cluster: 99999999999999999999", "expected a cluster index in 0..63 (a number), found '99999999999999999999'")]
    [InlineData("max_cpus: 4294967297", "expected max_cpus in 1..65536, found 4294967297")]
    [InlineData("max_cpus: 65537", "expected max_cpus in 1..65536, found 65537")]
    [InlineData("max_cpus: 0", "expected max_cpus in 1..65536, found 0")]
    [InlineData("prio: 256", "expected prio in 0..255, found 256")]
    [InlineData("prio: -1", "expected prio in 0..255, found -1")]
    [InlineData("boots: 1000000000", "expected boots in 1..1000, found 1000000000")]
    [InlineData("objects: {s: {sem: 32768}}", "expected the initial value of sem 's' in 0..32767, found 32768")]
    [InlineData("objects: {b: {barrier: 0}}", "expected the count of barrier 'b' in 1..65535, found 0")]
    public void A_vm_number_out_of_its_range_is_an_error_naming_the_range(string line, string message) =>
        AssertError($"vms:\n  - {line}\n    threads:\n      main: [yield]\n", 2, message);

    [Theory]
    [InlineData("topology: {clusters: 4294967297}", "expected clusters in 1..64, found 4294967297")]
    [InlineData("topology: {clusters: 1000000000}", "expected clusters in 1..64, found 1000000000")]
    [InlineData("topology: {clusters: 1000000}", "expected clusters in 1..64, found 1000000")]
    [InlineData("topology: {hthreads: 17}", "expected hthreads in 1..16, found 17")]
    [InlineData("horizon: 0", "expected the horizon in cycles in 1..4611686018427387904, found 0")]
    public void A_top_level_number_out_of_its_range_is_an_error_naming_the_range(string line, string message) =>
        AssertError($"{line}\nvms: [{{threads: {{main: [yield]}}}}]\n", 1, message);

    [Fact]
    public void A_vm_on_a_cluster_past_the_topology_is_an_error_at_its_cluster_line() =>
        AssertError("topology: {clusters: 2}\nvms:\n  - name: a\n    cluster: 2\n    threads: {main: [yield]}\n", 4, "expected a cluster in 0..1 (the topology has 2), found 2");

    [Fact]
    public void More_contexts_than_a_machine_holds_is_an_error()
    {
        var vms = string.Concat(Enumerable.Range(0, 65).Select(i => $"  - {{name: v{i}, max_cpus: 65536, threads: {{main: [yield]}}}}\n"));

        AssertError("topology: {clusters: 1}\nvms:\n" + vms, 67, "expected at most 4,194,304 contexts (the sum of max_cpus), found 4,259,840");
    }

    [Theory]
    [InlineData("repeat: {times: 1000000000, do: [yield]}", "expected repeat times in 0..1000000, found 1000000000")]
    [InlineData("repeat: {times: -1, do: [yield]}", "expected repeat times in 0..1000000, found -1")]
    public void A_repeat_count_out_of_range_is_an_error_at_load(string op, string message) =>
        AssertError(Main + $"        - {op}\n", 4, message);

    [Theory]
    [InlineData("raise_interrupt: 512", "raise_interrupt: expected an interrupt number in 0..511, found 512")]
    [InlineData("raise_interrupt: {int: -1, after: 10}", "raise_interrupt: expected an interrupt number in 0..511, found -1")]
    public void A_constant_outside_its_arguments_range_in_the_ops_table_is_an_error_at_load(string op, string message) =>
        AssertError(Main + $"        - {op}\n", 4, message);

    [Fact]
    public void Nested_repeats_beyond_the_bound_on_work_are_an_error_at_the_inner_repeat() =>
        AssertError(
            Main + "        - repeat:\n            times: 1000000\n            do:\n              - repeat: {times: 11, do: [yield]}\n",
            7,
            "run 11,000,000 iterations, at most 10,000,000");

    [Fact]
    public void A_scenario_that_names_its_bounds_exactly_loads()
    {
        var scenario = ScenarioLoader.Load(
            "topology: {clusters: 64, hthreads: 16}\nvms:\n  - {cluster: 63, max_cpus: 65536, prio: 255, boots: 1000, threads: {main: [{repeat: {times: 1000000, do: [{repeat: {times: 10, do: [yield]}}]}}]}}\n",
            "bounds.yaml");

        Assert.Equal(64, scenario.Topology.Clusters);
        Assert.Equal(65536, scenario.Vms[0].MaxCpus);
    }

    [Fact]
    public void A_sweep_range_across_all_64_bit_values_is_refused_and_one_near_the_ends_does_not_wrap()
    {
        Assert.Contains("values is too many", Assert.Throws<InputException>(() => SweepRange.Parse("n=0..9223372036854775807:1")).Message, StringComparison.Ordinal);

        var ends = SweepRange.Parse("n=-9223372036854775808..9223372036854775807:9223372036854775807");

        Assert.Equal(new[] { long.MinValue, -1, long.MaxValue - 1 }, ends.Values());
    }

    private static void AssertError(string yaml, long line, string message)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(yaml, "bad.yaml"));
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Reason, StringComparison.Ordinal);
    }
}
