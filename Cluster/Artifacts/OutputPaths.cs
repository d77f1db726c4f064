using H2Sim.Core.Input;

namespace H2Sim.Cluster.Artifacts;

/// <summary>
/// Checks where an artifact will go before any work starts, so a run of minutes never ends in
/// "cannot write": a file path must not be a directory nor lie under a file; a directory path
/// must not be a file. Each failure is an input error that starts with what the caller calls the
/// path (the CLI: its option).
/// </summary>
public static class OutputPaths
{
    /// <summary>A file to be written (created with its missing parent directories).</summary>
    public static string File(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException($"{what}: an empty path");
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new InputException($"{what} {path}: is a directory, expected a file name");
        }

        RejectFileAncestor(full, path, what);
        return path;
    }

    /// <summary>A directory to be written into (created if missing).</summary>
    public static string Folder(string path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InputException($"{what}: an empty path");
        }

        var full = Path.GetFullPath(path);
        if (System.IO.File.Exists(full))
        {
            throw new InputException($"{what} {path}: is a file, expected a directory");
        }

        RejectFileAncestor(full, path, what);
        return path;
    }

    private static void RejectFileAncestor(string full, string path, string what)
    {
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (System.IO.File.Exists(parent))
            {
                throw new InputException($"{what} {path}: {parent} is a file, not a directory");
            }

            if (Directory.Exists(parent))
            {
                return;
            }
        }
    }
}
