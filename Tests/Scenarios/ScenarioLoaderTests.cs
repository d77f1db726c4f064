using H2Sim.Cli;
using H2Sim.Core.Input;
using H2Sim.HwThreadActors.Scenarios;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// Malformed scenario files: each error names the file and the line and says what was expected;
/// through the CLI it is an input error (exit 2).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ScenarioLoaderTests
{
    private const string Valid = """
        scenario: ok
        params:
          delay: 0
        vms:
          - name: test
            objects:
              s: sem
            threads:
              main:
                - spin: max(delay, 0)
                - create: {thread: worker, id: w}
                - sem_post: s
                - join: w
                - print: TEST PASSED
              worker:
                - sem_wait: s
        """;

    public static TheoryData<string, string, string, int, string> Malformed => new()
    {
        { "unknown operation", "- sem_post: s", "- sem_postt: s", 12, "unknown operation 'sem_postt'" },
        { "undefined sync object", "- sem_post: s", "- sem_post: missing", 12, "undefined sync object 'missing'" },
        { "bad number", "- spin: max(delay, 0)", "- spin: 12x4", 10, "expected a number, found '12x4'" },
        { "thread never defined", "- create: {thread: worker, id: w}", "- create: {thread: wroker, id: w}", 11, "thread 'wroker' is never defined in VM 'test'" },
        { "wrong object type", "- sem_post: s", "- mutex_lock: s", 12, "expected a mutex, but 's' is a sem" },
        { "undefined name", "- spin: max(delay, 0)", "- spin: max(dealy, 0)", 10, "undefined name 'dealy'" },
        { "missing argument", "- create: {thread: worker, id: w}", "- create: {id: w}", 11, "expected the argument 'thread'" },
    };

    [Fact]
    public void The_valid_file_loads_and_passes()
    {
        var run = ScenarioTestSupport.Run(Valid);

        Assert.Equal("PASS", run.Verdict.Kind);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_file_names_the_file_the_line_and_what_was_expected(string what, string replace, string with, int line, string message)
    {
        Assert.Contains(replace, Valid, StringComparison.Ordinal);
        var text = Valid.Replace(replace, with, StringComparison.Ordinal);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(text, "broken.yaml"));

        Assert.Equal("broken.yaml", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"broken.yaml:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void The_cli_reports_a_malformed_file_on_stderr_and_exits_2(string what, string replace, string with, int line, string message)
    {
        var path = Path.Combine(Path.GetTempPath(), $"h2sim-broken-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, Valid.Replace(replace, with, StringComparison.Ordinal));
        var stderr = new StringWriter();
        var original = Console.Error;
        Console.SetError(stderr);
        try
        {
            var code = H2SimCli.Run(["run", path, "--kernel", "master"]);

            Assert.Equal(ExitCodes.UsageError, code);
            Assert.Contains($"{Path.GetFileName(path)}:{line}: ", stderr.ToString(), StringComparison.Ordinal);
            Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(what));
        }
        finally
        {
            Console.SetError(original);
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_line()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("vms:\n  - name: test\n    threads: [\n", "bad.yaml"));

        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 3);
    }

    [Fact]
    public void A_vm_without_main_is_an_error_at_its_threads()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load("vms:\n  - name: test\n    threads:\n      worker:\n        - yield\n", "nomain.yaml"));

        Assert.Equal(4, error.Line);
        Assert.Contains("expected a thread named `main`", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_parameter_override_is_an_input_error_naming_the_known_ones()
    {
        var scenario = ScenarioLoader.Load(Valid, "ok.yaml");

        var error = Assert.Throws<InputException>(() => scenario.Build(new Dictionary<string, long> { ["dely"] = 3 }));

        Assert.Contains("known: delay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_take_their_defaults_and_overrides()
    {
        var scenario = ScenarioLoader.Load(Valid, "ok.yaml");

        Assert.Equal(0, scenario.Build().Parameters["delay"]);
        Assert.Equal(-7, scenario.Build(new Dictionary<string, long> { ["delay"] = -7 }).Parameters["delay"]);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
