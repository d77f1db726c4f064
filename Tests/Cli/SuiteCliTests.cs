using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using H2Sim.Cli;
using H2Sim.Tests.Scenarios;
using Xunit;

namespace H2Sim.Tests.Cli;

/// <summary>
/// `h2sim suite --kernel all --report DIR --junit FILE` with stdout redirected, run once: the JUnit
/// file CI servers read, the results archives keep, the page a person opens, and a stdout that
/// holds results only (a header row, the matrix, the totals; progress went to stderr).
/// </summary>
public sealed class SuiteRunFixture : IDisposable
{
    public SuiteRunFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("h2sim-suite-").FullName;
        Outcome = CliRunner.Run("suite", ScenarioTestSupport.SuiteDirectory, "--kernel", "all", "--report", Report, "--junit", JUnit);
    }

    public string Directory { get; }

    public string Report => Path.Combine(Directory, "report");

    public string JUnit => Path.Combine(Directory, "ci", "junit.xml");

    public CliOutcome Outcome { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[Collection(nameof(ConsoleCapture))]
public sealed class SuiteCliTests(SuiteRunFixture suite) : IClassFixture<SuiteRunFixture>
{
    [Fact]
    public void The_junit_file_validates_against_the_junit_schema_with_one_test_case_per_test_and_kernel()
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Cli", "junit.xsd"));
        var errors = new List<string>();
        var document = XDocument.Load(suite.JUnit);
        document.Validate(schemas, (_, e) => errors.Add(e.Message));

        Assert.Empty(errors);
        var root = document.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        var cases = root.Descendants("testcase").ToList();
        Assert.Equal(152, cases.Count);
        Assert.Equal("152", root.Attribute("tests")!.Value);
        Assert.Equal(["h2-pthread.base", "h2-pthread.master", "h2-pthread.pr39", "h2-pthread.review"], root.Elements("testsuite").Select(s => s.Attribute("name")!.Value).Order());
        Assert.Equal(152, cases.Select(c => (c.Attribute("classname")!.Value, c.Attribute("name")!.Value)).Distinct().Count());
        foreach (var testsuite in root.Elements("testsuite"))
        {
            Assert.Equal(testsuite.Elements("testcase").Count(c => c.Element("failure") is not null).ToString(System.Globalization.CultureInfo.InvariantCulture), testsuite.Attribute("failures")!.Value);
        }
    }

    [Fact]
    public void A_failing_case_carries_its_verdict_diagnosis_and_reproduce_command_and_agrees_with_test_results_json()
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(suite.Report, "test_results.json")));
        var byCell = results.RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => $"h2-pthread.{r.GetProperty("kernel").GetString()}/{r.GetProperty("test").GetString()}");
        var cases = XDocument.Load(suite.JUnit).Descendants("testcase").ToList();

        Assert.Contains(cases, c => c.Element("failure") is not null);
        foreach (var testcase in cases)
        {
            var result = byCell[$"{testcase.Attribute("classname")!.Value}/{testcase.Attribute("name")!.Value}"];
            var failure = testcase.Element("failure");
            Assert.Equal(result.GetProperty("verdict").GetString() != "PASS", failure is not null);
            if (failure is not null)
            {
                Assert.Equal(result.GetProperty("verdict").GetString(), failure.Attribute("type")!.Value);
                Assert.Contains(result.GetProperty("detail").GetString()!, failure.Attribute("message")!.Value, StringComparison.Ordinal);
                Assert.Contains(result.GetProperty("command").GetString()!, failure.Value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_result_records_how_to_reproduce_it_and_the_page_shows_that_command()
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(suite.Report, "test_results.json")));
        var root = results.RootElement;
        var page = File.ReadAllText(Path.Combine(suite.Report, "test_report.html"));

        Assert.Contains("TEST PASSED", root.GetProperty("judgedBy").GetString(), StringComparison.Ordinal);
        Assert.Contains(root.GetProperty("judgedBy").GetString()!, page, StringComparison.Ordinal);
        foreach (var result in root.GetProperty("results").EnumerateArray())
        {
            var test = result.GetProperty("test").GetString()!;
            var kernel = result.GetProperty("kernel").GetString()!;
            var command = result.GetProperty("command").GetString()!;
            Assert.Equal(1UL, result.GetProperty("seed").GetUInt64());
            Assert.Equal(0, result.GetProperty("bugs").GetArrayLength());
            Assert.Matches("^0x[0-9a-f]{16}$", result.GetProperty("traceHash").GetString());
            Assert.False(string.IsNullOrEmpty(result.GetProperty("h2simVersion").GetString()));
            Assert.EndsWith($"run {Path.Combine(ScenarioTestSupport.SuiteDirectory, test + ".yaml")} --kernel {kernel} --seed 1", command, StringComparison.Ordinal);
            Assert.Contains(JsonSerializer.Serialize(command).Replace("</", "<\\/", StringComparison.Ordinal), page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_reproduce_command_of_a_cell_gives_the_recorded_verdict_and_trace_hash()
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(suite.Report, "test_results.json")));
        var hang = results.RootElement.GetProperty("results").EnumerateArray().First(r => r.GetProperty("verdict").GetString() == "HANG");
        var words = hang.GetProperty("command").GetString()!.Split(' ');

        var again = CliRunner.Run([.. words.Skip(1), "--json"]);

        Assert.Equal(ExitCodes.SimulationFailure, again.ExitCode);
        using var run = JsonDocument.Parse(again.Stdout);
        Assert.Equal(hang.GetProperty("traceHash").GetString(), run.RootElement.GetProperty("traceHash").GetString());
        Assert.Equal("HANG", run.RootElement.GetProperty("verdict").GetProperty("kind").GetString());
    }

    [Fact]
    public void Redirected_stdout_holds_a_header_row_the_matrix_and_totals_and_no_progress()
    {
        var lines = suite.Outcome.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal(ExitCodes.SimulationFailure, suite.Outcome.ExitCode);
        Assert.Equal(["test", "base", "pr39", "master", "review"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(38, lines.Skip(1).TakeWhile(l => !l.StartsWith("base:", StringComparison.Ordinal)).Count());
        Assert.DoesNotContain(lines, l => l.StartsWith('[') || l.Contains("/152]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("pr39: ", StringComparison.Ordinal) && l.EndsWith(" failed", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == $"wrote {suite.JUnit} (JUnit XML, 152 test cases)");
        Assert.Equal(152, suite.Outcome.Stderr.Split('\n').Count(l => l.Contains("/152] ", StringComparison.Ordinal)));
    }
}
