namespace H2Sim.Cluster.Artifacts;

/// <summary>
/// The two files `--timeline OUT` writes: the page and the Chrome trace. OUT may name either
/// (`out/x.html` or `out/x.json`: the other gets the same stem) or neither (`out/x`: both get
/// their extension added).
/// </summary>
public sealed record TimelineFiles(string Html, string Json)
{
    public static TimelineFiles For(string output, string what)
    {
        OutputPaths.File(output, what);
        var stem = Path.GetExtension(output) is ".html" or ".json" ? output[..^5] : output;
        var files = new TimelineFiles(stem + ".html", stem + ".json");
        OutputPaths.File(files.Html, what);
        OutputPaths.File(files.Json, what);
        return files;
    }
}
