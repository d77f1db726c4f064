using System.Text.Json;
using H2Sim.HwThreadActors.Explore;

namespace H2Sim.Cli;

/// <summary>
/// The coverage of an exploration as JSON: items, the contested choice points, the race pairs (and
/// those seen in both orders), the kill × target-state and interrupt × state matrices (runs per
/// cell) and the curve (distinct items after each run).
/// </summary>
public static class ExploreCoverageJson
{
    public static void Write(Utf8JsonWriter w, CoverageMap coverage)
    {
        w.WriteStartObject("coverage");
        w.WriteNumber("items", coverage.Count);
        WriteItems(w, coverage, CoverageKind.Choice, "choicePoints", "point", "chosen");
        WriteItems(w, coverage, CoverageKind.RacePair, "racePairs", "first", "second");
        w.WriteStartArray("bothOrders");
        foreach (var (a, b) in coverage.BothOrders())
        {
            w.WriteStartArray();
            w.WriteStringValue(a);
            w.WriteStringValue(b);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        WriteMatrix(w, "killTargetState", CoverageMatrix.Of(coverage, CoverageKind.Kill));
        WriteMatrix(w, "interruptState", CoverageMatrix.Of(coverage, CoverageKind.Interrupt));
        w.WriteStartArray("curve");
        foreach (var count in coverage.Curve)
        {
            w.WriteNumberValue(count);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMatrix(Utf8JsonWriter w, string name, CoverageMatrix matrix)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("rows");
        foreach (var row in matrix.Rows)
        {
            w.WriteStringValue(row);
        }

        w.WriteEndArray();
        w.WriteStartArray("columns");
        foreach (var column in matrix.Columns)
        {
            w.WriteStringValue(column);
        }

        w.WriteEndArray();
        w.WriteStartArray("runs");
        foreach (var row in matrix.Rows)
        {
            w.WriteStartArray();
            foreach (var column in matrix.Columns)
            {
                w.WriteNumberValue(matrix.Runs(row, column));
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The items of one kind as objects: their row and column under the given names, runs, first run.</summary>
    private static void WriteItems(Utf8JsonWriter w, CoverageMap coverage, CoverageKind kind, string array, string rowName, string columnName)
    {
        w.WriteStartArray(array);
        foreach (var (item, first, runs) in coverage.Items.Where(i => i.Item.Kind == kind))
        {
            w.WriteStartObject();
            w.WriteString(rowName, item.Row);
            w.WriteString(columnName, item.Column);
            w.WriteNumber("runs", runs);
            w.WriteNumber("firstRun", first);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
