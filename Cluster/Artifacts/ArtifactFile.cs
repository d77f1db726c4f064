using System.Text;

namespace H2Sim.Cluster.Artifacts;

/// <summary>
/// Writes an artifact (report, timeline, scenario, JUnit file) to a temporary file in the same
/// directory and renames it into place, so a file that exists is whole: an interrupted or failed
/// write leaves the previous file, or none, never half of one.
/// </summary>
public static class ArtifactFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void WriteText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)));
}
