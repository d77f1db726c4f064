using H2Sim.Cli;
using H2Sim.Cluster.Faults;
using H2Sim.Core.Input;
using Xunit;

namespace H2Sim.Tests.Faults;

/// <summary>
/// Fault plan files (hocon/faults/) are read strictly: a misspelt key, a wrong type or malformed
/// HOCON is an input error naming the file, the line, the key and the valid keys — never a
/// default silently applied, never a parser that loops.
/// </summary>
public sealed class FaultPlanFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("h2sim-plan-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("h2sim.faults {\n rules = [\n { kind = KILL, action = drop, probabilty = 0.0 }\n ]\n}\n", ":3: unknown key 'probabilty' in rule 1 (valid keys: kind, action, probability, delay-min, delay-max, source, target, from, to, ids)")]
    [InlineData("h2sim.faults {\n cost-jitter = 5\n}\n", ":2: unknown key 'cost-jitter' in h2sim.faults (valid keys: cost-jitter-percent, bkl-seed, rules, raises)")]
    [InlineData("h2sim.faults {\n raises = [ { cluster = 0, int = 20 } ]\n}\n", ":2: raise 1: expected 'at' (a raise is { cluster = …, int = …, at = … })")]
    [InlineData("h2sim.faults {\n raises = [ { cluster = 0, int = 512, at = 5 } ]\n}\n", ":2: raise 1: int must be a whole number")]
    [InlineData("h2sim.faults {\n raises = [ { cluster = 0, irq = 2, at = 5 } ]\n}\n", ":2: unknown key 'irq' in raise 1 (valid keys: cluster, int, at)")]
    [InlineData("h2sim.fault {\n}\n", ":1: unknown key 'fault' in h2sim (valid keys: faults)")]
    [InlineData("h2sim.faults {\n rules = [\n { kind = KILL, action = drop }\n \n}\n", ":5: the '[' of line 2 is never closed")]
    [InlineData("h2sim.faults {\n rules = [\n { kind = KILL, action = drop }\n ]\n", ":5: the '{' of line 1 is never closed")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = drop, probability = abc } ]\n}\n", ":2: rule 1: probability must be a number between 0 and 1, got 'abc'")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = drop, probability = 1.5 } ]\n}\n", ":2: rule 1: probability must be a number between 0 and 1, got '1.5'")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = delay, delay-min = -5 } ]\n}\n", ":2: rule 1: delay-min must be a whole number (0 or more), got '-5'")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = drop, ids = 5 } ]\n}\n", ":2: rule 1: ids must be a list of message ids")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = drop, ids = [\"1-2\"] } ]\n}\n", ":2: rule 1: ids must be a list of message ids: a message id is SOURCE:SEQUENCE")]
    [InlineData("h2sim.faults {\n rules = { kind = KILL }\n}\n", ":2: h2sim.faults: rules must be a list of rules")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILLL, action = drop } ]\n}\n", ":2: rule 1: unknown fault kind 'KILLL'")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, kind = VM_IPI, action = drop } ]\n}\n", ":2: the key 'kind' is given twice")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = drop, source = ${x} } ]\n}\n", ":2: substitutions (${…}) are not supported in a fault plan")]
    [InlineData("h2sim.faults {\n rules = [ { kind = KILL, action = drop, source = 1 2 } ]\n}\n", ":2: expected one value, found '1 2'")]
    [InlineData("h2sim.faults { bkl-seed = -1 }\n", ":1: h2sim.faults: bkl-seed must be a whole number (0 or more), got '-1'")]
    [InlineData("h2sim.faults { cost-jitter-percent = 500 }\n", ":1: h2sim.faults: cost-jitter-percent must be a number between 0 and 100, got '500'")]
    [InlineData("h2sim.faults = 5\n", ":1: expected faults to be an object")]
    [InlineData("h2sim.faults { rules = [ { kind = \"KILL } ] }\n", ":1: a quoted string is not closed on its line")]
    public void A_bad_plan_is_an_input_error_with_its_line_and_what_was_expected(string text, string message)
    {
        var path = Path.Combine(directory, "plan.conf");
        File.WriteAllText(path, text);

        var error = Assert.Throws<InputException>(() => FaultPlanFile.Load(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_plans_load_with_every_field()
    {
        var hocon = Path.Combine(Scenarios.ScenarioTestSupport.RepositoryRoot, "hocon", "faults");

        var lossy = FaultPlanFile.Load(Path.Combine(hocon, "lossy-ipi.conf"));
        var lost = FaultPlanFile.Load(Path.Combine(hocon, "lost-kill.conf"));

        Assert.Equal(3, lossy.Rules.Count);
        Assert.Equal(("VM_IPI", "drop", 0.05), (lossy.Rules[0].Kind, lossy.Rules[0].Action, lossy.Rules[0].Probability));
        Assert.Equal((100UL, 2000UL), (lossy.Rules[1].DelayMinCycles, lossy.Rules[1].DelayMaxCycles));
        Assert.Equal(("KILL", "drop", 1.0, -1L), (lost.Rules[0].Kind, lost.Rules[0].Action, lost.Rules[0].Probability, lost.Rules[0].Source));
    }

    [Fact]
    public void A_plan_with_every_key_quoted_strings_comments_and_ids_loads()
    {
        var path = Path.Combine(directory, "full.conf");
        File.WriteAllText(path, "// a plan\nh2sim {\n  faults {\n    cost-jitter-percent: 2.5\n    bkl-seed = 7 # spinner order\n    rules = [\n      { \"kind\" = \"*\", action = delay, probability = 0.5, delay-min = 10, delay-max = 20, source = 3, target = -1, from = 100, to = 200 },\n      { kind = KILL, action = drop, ids = [\"5:1\", \"6:2\"] }\n    ]\n  }\n}\n");

        var plan = FaultPlanFile.Load(path);

        Assert.Equal((2.5, 7UL, 2), (plan.CostJitterPercent, plan.BklSeed, plan.Rules.Count));
        Assert.Equal(("*", 0.5, 10UL, 20UL, 3L, -1L, 100UL, 200UL), (plan.Rules[0].Kind, plan.Rules[0].Probability, plan.Rules[0].DelayMinCycles, plan.Rules[0].DelayMaxCycles, plan.Rules[0].Source, plan.Rules[0].Target, plan.Rules[0].FromCycles, plan.Rules[0].ToCycles));
        Assert.Equal(new[] { (5U, 1UL), (6U, 2UL) }, plan.Rules[1].Ids.Select(id => (id.Source, id.Sequence)));
    }

    [Fact]
    public void A_plan_raises_device_interrupts_at_given_times()
    {
        var path = Path.Combine(directory, "raises.conf");
        File.WriteAllText(path, "h2sim.faults {\n  raises = [\n    { cluster = 1, int = 20, at = 5000 }\n    { cluster = 0, int = 41, at = 0 }\n  ]\n}\n");

        var plan = FaultPlanFile.Load(path);

        Assert.Equal(new[] { (1U, 20U, 5000UL), (0U, 41U, 0UL) }, plan.Raises.Select(r => (r.Cluster, r.InterruptNumber, r.AtCycles)));
    }

    [Theory]
    [InlineData("0:20@5000", 0U, 20U, 5000UL)]
    [InlineData("3:511@0", 3U, 511U, 0UL)]
    public void Raise_flags_name_cluster_interrupt_and_time(string text, uint cluster, uint intno, ulong at)
    {
        var raise = FaultOptions.ParseRaise(text);

        Assert.Equal((cluster, intno, at), (raise.Cluster, raise.InterruptNumber, raise.AtCycles));
    }

    [Theory]
    [InlineData("0:20")]
    [InlineData("0:512@5")]
    [InlineData("64:1@5")]
    [InlineData("a:1@5")]
    [InlineData("0:1@-5")]
    public void A_malformed_raise_flag_is_a_usage_error(string text)
    {
        var error = Assert.Throws<UsageException>(() => FaultOptions.ParseRaise(text));

        Assert.Contains("expected CLUSTER:INT@CYCLES", error.Message, StringComparison.Ordinal);
    }
}
