using H2Sim.HwThreadActors.System;

namespace H2Sim.HwThreadActors.Explore;

/// <summary>
/// A coverage matrix for the reports: kill × target state (rows: who was killed or reaped) or
/// interrupt × state (rows: the interrupt). Columns are every state, in h2-domain.md's order, so an
/// empty column shows a state never reached; a cell counts the runs that reached it.
/// </summary>
public sealed class CoverageMatrix
{
    private readonly Dictionary<(string Row, string Column), int> cells = new();

    private CoverageMatrix(IReadOnlyList<string> rows, IReadOnlyList<string> columns)
    {
        Rows = rows;
        Columns = columns;
    }

    public IReadOnlyList<string> Rows { get; }

    public IReadOnlyList<string> Columns { get; }

    public int Runs(string row, string column) => cells.GetValueOrDefault((row, column));

    /// <summary>Cells reached, of rows × columns.</summary>
    public int Reached => cells.Count;

    public static CoverageMatrix Of(CoverageMap coverage, CoverageKind kind)
    {
        var items = coverage.Items.Where(i => i.Item.Kind == kind).ToList();
        var rows = items.Select(i => i.Item.Row).Distinct().Order(StringComparer.Ordinal).ToList();
        var states = kind == CoverageKind.Kill
            ? TargetStates.All.Where(s => s is not TargetState.Idle and not TargetState.Dead)
            : [TargetState.RunningInGuest, TargetState.SpinningInKernel, TargetState.InKernel, TargetState.Idle];
        var columns = states.Select(TargetStates.Name).ToList();
        columns.AddRange(items.Select(i => i.Item.Column).Where(c => !columns.Contains(c)).Distinct().Order(StringComparer.Ordinal).ToList());
        var matrix = new CoverageMatrix(rows, columns);
        foreach (var (item, _, runs) in items)
        {
            matrix.cells[(item.Row, item.Column)] = runs;
        }

        return matrix;
    }
}
