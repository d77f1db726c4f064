using H2Sim.HwThreadActors.Scenarios;
using Xunit;

namespace H2Sim.Tests.Scenarios;

/// <summary>
/// The scenario language lives in one table (ScenarioOps.All): every row runs (an instruction or a
/// lowering), and docs/scenarios.md's operation table is that table rendered, row for row.
/// </summary>
public sealed class ScenarioOpsTableTests
{
    private const string TableHeader = "| operation | value binds to | arguments | what it does |";

    [Fact]
    public void Every_operation_has_exactly_one_of_an_instruction_or_a_lowering()
    {
        var broken = ScenarioOps.All.Values.Where(op => (op.Run is null) == (op.Lower is null)).Select(op => op.Name).ToList();

        Assert.Empty(broken);
    }

    [Fact]
    public void Every_shorthand_names_one_of_the_operations_arguments()
    {
        var broken = ScenarioOps.All.Values.Where(op => op.Shorthand is not null && op.Arg(op.Shorthand) is null).Select(op => op.Name).ToList();

        Assert.Empty(broken);
    }

    [Fact]
    public void Every_operation_has_a_one_line_summary_and_unique_argument_names()
    {
        foreach (var op in ScenarioOps.All.Values)
        {
            Assert.False(string.IsNullOrWhiteSpace(op.Summary), op.Name);
            Assert.DoesNotContain('\n', op.Summary);
            Assert.Equal(op.Args.Length, op.Args.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void The_docs_operation_table_is_the_ops_table_rendered_row_for_row()
    {
        var documented = DocumentedRows();
        var rendered = ScenarioOps.All.Values.Select(Render).ToList();

        Assert.Equal(rendered.Count, documented.Count);
        for (var i = 0; i < rendered.Count; i++)
        {
            Assert.Equal(rendered[i], documented[i]);
        }
    }

    [Fact]
    public void The_docs_table_names_each_operation_once_and_nothing_else()
    {
        var names = DocumentedRows().Select(row => row.Split('`')[1]).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ScenarioOps.All.Keys.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
    }

    /// <summary>The markdown row docs/scenarios.md must carry for one operation.</summary>
    private static string Render(OpSpec op)
    {
        var shorthand = op.Shorthand is null ? "—" : $"`{op.Shorthand}`";
        var arguments = op.Args.Length == 0 ? "—" : string.Join(", ", op.Args.Select(a => (a.Required ? a.Name : a.Name + "?") + (a.Range is { } range ? $" ({range})" : string.Empty)));
        return $"| `{op.Name}` | {shorthand} | {arguments} | {op.Summary.Replace("|", "\\|", StringComparison.Ordinal)} |";
    }

    /// <summary>The rows of the operation table under "## Operations" (after its header and rule).</summary>
    private static List<string> DocumentedRows()
    {
        var lines = File.ReadAllLines(Path.Combine(ScenarioTestSupport.RepositoryRoot, "docs", "scenarios.md"));
        var header = Array.IndexOf(lines, TableHeader);
        Assert.True(header >= 0, "docs/scenarios.md has no operation table");
        return lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|')).ToList();
    }
}
