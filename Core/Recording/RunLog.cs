using System.IO.Hashing;
using Google.Protobuf;
using H2Sim.Core.Events;
using H2Sim.Protocol.Trace;

namespace H2Sim.Core.Recording;

/// <summary>
/// A recorded run (architecture.md §8): a header (the run manifest: scenario text, configuration,
/// seed, fault plan, versions), every delivered message as a length-delimited protobuf record,
/// then the trace hash with a checksum of every byte before it. Written to a temporary file and
/// renamed when complete, so a log that exists is whole.
/// </summary>
public sealed record RunLog(RunManifest Manifest, IReadOnlyList<SimEvent> Events, TraceEnd End)
{
    public const string Extension = ".h2log";

    public static void Write(string path, RunManifest manifest, IReadOnlyList<SimEvent> events, ulong traceHash, string outcomeKind)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
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
            }

            var end = new TraceEnd { TraceHash = traceHash, Events = (ulong)events.Count, Checksum = hasher.GetCurrentHashAsUInt64(), OutcomeKind = outcomeKind };
            new TraceRecord { End = end }.WriteDelimitedTo(file);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static RunLog Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"log not found: {path}");
        }

        var bytes = File.ReadAllBytes(path);
        var input = new CodedInputStream(bytes);
        RunManifest? manifest = null;
        var events = new List<SimEvent>();
        while (!input.IsAtEnd)
        {
            var start = (int)input.Position;
            TraceRecord record;
            try
            {
                record = TraceRecord.Parser.ParseFrom(input.ReadBytes());
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RunLogFormatException($"{path}: corrupted or truncated record at byte {start} ({e.Message})");
            }

            switch (record.RecordCase)
            {
                case TraceRecord.RecordOneofCase.Manifest when manifest is null && start == 0:
                    manifest = record.Manifest;
                    break;
                case TraceRecord.RecordOneofCase.Event when manifest is not null:
                    events.Add(EventCodec.FromRecord(record.Event));
                    break;
                case TraceRecord.RecordOneofCase.End when manifest is not null:
                    var checksum = XxHash64.HashToUInt64(bytes.AsSpan(0, start));
                    if (checksum != record.End.Checksum)
                    {
                        throw new RunLogFormatException($"{path}: checksum mismatch (the log was modified or corrupted)");
                    }

                    if (record.End.Events != (ulong)events.Count)
                    {
                        throw new RunLogFormatException($"{path}: trailer says {record.End.Events} events, the log holds {events.Count}");
                    }

                    if (!input.IsAtEnd)
                    {
                        throw new RunLogFormatException($"{path}: data after the trailer");
                    }

                    return new RunLog(manifest, events, record.End);
                default:
                    throw new RunLogFormatException($"{path}: unexpected {record.RecordCase} record at byte {start} (not an h2sim log?)");
            }
        }

        throw new RunLogFormatException(manifest is null
            ? $"{path}: empty or not an h2sim log"
            : $"{path}: truncated: no trailer after {events.Count} events");
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
