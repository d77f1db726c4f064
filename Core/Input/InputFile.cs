namespace H2Sim.Core.Input;

/// <summary>
/// Reads an input file (scenario, fault plan, log) whole, with a bound: a name that is not a
/// regular file with content (a directory, a FIFO, /dev/zero, /proc) is refused before it is
/// opened, so nothing blocks on a pipe or reads a device for ever, and a file larger than
/// <c>maxBytes</c> is refused before it is read.
/// </summary>
public static class InputFile
{
    /// <param name="what">What the file is, for messages ("scenario file", "log").</param>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        var info = new FileInfo(path);
        if (Directory.Exists(path))
        {
            throw new InputException($"{path}: expected a {what}, found a directory");
        }

        if (!info.Exists)
        {
            throw new FileNotFoundException($"{what} not found: {path}");
        }

        // A FIFO, a device or a /proc file reports length 0 (Unix st_size); opening a FIFO would
        // block until a writer comes, and a device may never end. A regular empty file is refused
        // with it: no input of h2sim is empty.
        if (info.Length == 0)
        {
            throw new InputException($"{path}: empty or not a regular file (expected a {what})");
        }

        if (info.Length > maxBytes)
        {
            throw new InputException($"{path}: {info.Length} bytes is larger than a {what} may be ({maxBytes} bytes)");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var bytes = new byte[info.Length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = stream.Read(bytes, read, bytes.Length - read);
            if (n == 0)
            {
                throw new InputException($"{path}: the {what} shrank while it was read");
            }

            read += n;
        }

        return bytes;
    }

    /// <summary>The file as UTF-8 text (a byte-order mark is skipped).</summary>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var bytes = ReadAllBytes(path, maxBytes, what);
        return new global::System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
    }
}
