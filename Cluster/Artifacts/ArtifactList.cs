using System.Text.Json;

namespace H2Sim.Cluster.Artifacts;

/// <summary>
/// The files a verb wrote, so every verb says where its artifacts went: one `wrote PATH (what)` line
/// each on the terminal, an `artifacts` array in --json. Paths are shown as the user gave them.
/// </summary>
public sealed class ArtifactList
{
    private readonly List<(string Path, string What)> items = new();

    public IReadOnlyList<(string Path, string What)> Items => items;

    public void Add(string path, string what) => items.Add((path, what));

    public void Print(string indent = "")
    {
        foreach (var (path, what) in items)
        {
            Console.Out.WriteLine($"{indent}wrote {path} ({what})");
        }
    }

    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartArray("artifacts");
        foreach (var (path, what) in items)
        {
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteString("what", what);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
