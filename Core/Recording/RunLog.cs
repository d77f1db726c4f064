using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using Google.Protobuf;
using H2Sim.Core.Events;
using H2Sim.Core.Input;
using H2Sim.Protocol.Trace;

namespace H2Sim.Core.Recording;

/// <summary>
/// A recorded run (architecture.md §8): a header (the run manifest: scenario text, configuration,
/// seed, fault plan, versions), every delivered message as a length-delimited protobuf record,
/// the end (trace hash, event count, outcome), then a seal: the XxHash64 of every byte before it.
/// Every byte of a log is covered, so a damaged log is refused (<see cref="RunLogFormatException"/>,
/// exit 2) before anything replays it: it is never "verified" and never "diverged". Written to a
/// temporary file and renamed when complete, so a log that exists is whole; temporary files that
/// a killed writer left behind are removed by the next writer in the same folder.
/// </summary>
public sealed record RunLog(RunManifest Manifest, IReadOnlyList<SimEvent> Events, TraceEnd End)
{
    public const string Extension = ".h2log";

    /// <summary>The version of the log's layout written into every manifest.</summary>
    public const string ProtocolVersion = "1";

    /// <summary>The largest log read (one array): a 14M-event storm is about 0.8 GB.</summary>
    public const long MaxLogBytes = 2_000_000_000;

    /// <summary>The manifest carries the scenario text, which fits one remote frame (16 MiB); room for the rest.</summary>
    private const int MaxManifestBytes = 64 * 1024 * 1024;

    /// <summary>An event record is at most 8 varints of 10 bytes with their tags.</summary>
    private const int MaxEventBytes = 128;

    private const int MaxEndBytes = 1024;

    /// <summary>The seal record: length 9, tag of field 4 as fixed64 (4 &lt;&lt; 3 | 1), 8 bytes of hash.</summary>
    private const int SealBytes = 10;

    public static void Write(string path, RunManifest manifest, IReadOnlyList<SimEvent> events, ulong traceHash, string outcomeKind)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        RemoveStaleTemporaries(directory, Path.GetFileName(path));
        var temporary = TemporaryName(directory, Path.GetFileName(path), Environment.ProcessId);
        try
        {
            using (var file = File.Create(temporary))
            {
                var hasher = new XxHash64();
                using (var hashing = new HashingStream(file, hasher))
                {
                    new TraceRecord { Manifest = manifest }.WriteDelimitedTo(hashing);
                    foreach (var ev in events)
                    {
                        new TraceRecord { Event = EventCodec.ToRecord(ev) }.WriteDelimitedTo(hashing);
                    }

                    var end = new TraceEnd { TraceHash = traceHash, Events = (ulong)events.Count, Checksum = hasher.GetCurrentHashAsUInt64(), OutcomeKind = outcomeKind };
                    new TraceRecord { End = end }.WriteDelimitedTo(hashing);
                }

                new TraceRecord { Seal = hasher.GetCurrentHashAsUInt64() }.WriteDelimitedTo(file);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static RunLog Read(string path)
    {
        // Not a regular file, empty or too large: an input error before anything is read.
        var bytes = InputFile.ReadAllBytes(path, MaxLogBytes, "log");
        CheckSeal(path, bytes);
        return Parse(path, bytes.AsMemory(0, bytes.Length - SealBytes));
    }

    /// <summary>The last record must be the seal, and the seal the hash of every byte before it.</summary>
    private static void CheckSeal(string path, byte[] bytes)
    {
        var sealAt = bytes.Length - SealBytes;
        if (sealAt < 0 || bytes[sealAt] != SealBytes - 1 || bytes[sealAt + 1] != ((TraceRecord.SealFieldNumber << 3) | 1))
        {
            throw new RunLogFormatException($"{path}: it does not end with its seal (truncated, not an h2sim log, or written before logs were sealed)");
        }

        var seal = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(sealAt + 2));
        if (XxHash64.HashToUInt64(bytes.AsSpan(0, sealAt)) != seal)
        {
            throw new RunLogFormatException($"{path}: checksum mismatch (the log was modified or corrupted)");
        }
    }

    /// <summary>Manifest, events, end — in that order, each record within its size bound.</summary>
    private static RunLog Parse(string path, ReadOnlyMemory<byte> body)
    {
        RunManifest? manifest = null;
        var events = new List<SimEvent>();
        var position = 0;
        while (position < body.Length)
        {
            var start = position;
            var record = ReadRecord(path, body.Span, ref position, manifest is null ? MaxManifestBytes : MaxEndBytes);
            switch (record.RecordCase)
            {
                case TraceRecord.RecordOneofCase.Manifest when manifest is null && start == 0:
                    manifest = record.Manifest;
                    break;
                case TraceRecord.RecordOneofCase.Event when manifest is not null && position - start <= MaxEventBytes:
                    events.Add(EventCodec.FromRecord(record.Event));
                    break;
                case TraceRecord.RecordOneofCase.End when manifest is not null:
                    CheckEnd(path, body.Span[..start], record.End, events.Count, position == body.Length);
                    return new RunLog(manifest, events, record.End);
                default:
                    throw new RunLogFormatException($"{path}: unexpected {record.RecordCase} record at byte {start} (not an h2sim log?)");
            }
        }

        throw new RunLogFormatException(manifest is null
            ? $"{path}: empty or not an h2sim log"
            : $"{path}: truncated: no trailer after {events.Count} events");
    }

    /// <summary>One length-delimited record at <paramref name="position"/>, its length checked before anything is read.</summary>
    private static TraceRecord ReadRecord(string path, ReadOnlySpan<byte> body, ref int position, int maxBytes)
    {
        var start = position;
        ulong length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position == body.Length || shift > 28)
            {
                throw new RunLogFormatException($"{path}: corrupted or truncated record length at byte {start}");
            }

            var b = body[position++];
            length |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        if (length > (ulong)maxBytes || length > (ulong)(body.Length - position))
        {
            throw new RunLogFormatException($"{path}: a record of {length} bytes at byte {start} is larger than the log allows there (corrupted or truncated)");
        }

        try
        {
            var record = TraceRecord.Parser.ParseFrom(body.Slice(position, (int)length));
            position += (int)length;
            return record;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RunLogFormatException($"{path}: corrupted record at byte {start} ({e.Message})");
        }
    }

    private static void CheckEnd(string path, ReadOnlySpan<byte> beforeEnd, TraceEnd end, int events, bool atEnd)
    {
        if (XxHash64.HashToUInt64(beforeEnd) != end.Checksum)
        {
            throw new RunLogFormatException($"{path}: checksum mismatch (the log was modified or corrupted)");
        }

        if (end.Events != (ulong)events)
        {
            throw new RunLogFormatException($"{path}: trailer says {end.Events} events, the log holds {events}");
        }

        if (!atEnd)
        {
            throw new RunLogFormatException($"{path}: data after the trailer");
        }
    }

    private static string TemporaryName(string directory, string name, int processId) => Path.Combine(directory, $".{name}.{processId}.tmp");

    /// <summary>Removes `.NAME.PID.tmp` files of writers that are no longer running (killed mid-write).</summary>
    private static void RemoveStaleTemporaries(string directory, string name)
    {
        var prefix = $".{name}.";
        foreach (var candidate in Directory.EnumerateFiles(directory, $"{prefix}*.tmp"))
        {
            var pidText = Path.GetFileName(candidate)[prefix.Length..^".tmp".Length];
            if (int.TryParse(pidText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !IsRunning(pid))
            {
                File.Delete(candidate);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A write-through stream that feeds every byte to a hash.</summary>
    private sealed class HashingStream(Stream inner, XxHash64 hasher) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            hasher.Append(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Flush();
        }
    }
}
