using System.Globalization;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// The teardown figures `h2sim compare` reports, measured the same way on every kernel: for each VM
/// (cluster, vmidx), when its teardown was first requested (a guest's exit(), the library's last
/// pthread_exit that stops the process, a parent's kill of it), when its num_cpus reached 0 on its
/// cluster, when its parent saw it drained (the booter or a supervisor read num_cpus 0 after its
/// CHILDINT wake), and the longest BKL hold on the VM's cluster between the first request or kill
/// mark and the drain. Observation only: nothing here reaches the trace. Written into the report's
/// figures as `teardown:C:V:what` (`requested` keys carry the recording cluster, since a remote
/// parent's kill is recorded on the parent's cluster).
/// </summary>
public sealed class TeardownClock
{
    // Keyed by Key(cluster, vmidx): cluster then vmidx order, without boxing a tuple per lookup.
    private readonly SortedDictionary<long, Entry> entries = new();

    // Entries whose BKL window is open, scanned by index on every BKL section (no allocation).
    private readonly List<Entry> open = new();

    public void Requested(int recordingCluster, int cluster, int vmidx, ulong now, bool openWindow)
    {
        var entry = EntryOf(cluster, vmidx);
        entry.Requested.TryAdd(recordingCluster, now);
        if (openWindow)
        {
            OpenWindow(entry);
        }
    }

    /// <summary>A kill mark on one of the VM's contexts: the window opens even if the request was recorded elsewhere.</summary>
    public void KillMarked(int cluster, int vmidx) => OpenWindow(EntryOf(cluster, vmidx));

    /// <summary>num_cpus reached 0: the window closes once the section that drained it has been counted.</summary>
    public void Drained(int cluster, int vmidx, ulong now)
    {
        if (!entries.TryGetValue(Key(cluster, vmidx), out var entry) || entry.Drained is not null || !entry.WindowOpened)
        {
            return;
        }

        entry.Drained = now;
        entry.Closing = true;
    }

    public void ParentSaw(int cluster, int vmidx, ulong now)
    {
        var entry = EntryOf(cluster, vmidx);
        entry.ParentSaw ??= now;
    }

    /// <summary>A critical section on <paramref name="cluster"/> held the BKL for <paramref name="cycles"/> (counted for the windows it ran in, the draining one included).</summary>
    public void BklHeld(int cluster, ulong cycles)
    {
        for (var i = open.Count - 1; i >= 0; i--)
        {
            var entry = open[i];
            if (entry.Cluster != cluster)
            {
                continue;
            }

            entry.BklMaxCycles = Math.Max(entry.BklMaxCycles, cycles);
            if (entry.Closing)
            {
                open.RemoveAt(i);
            }
        }
    }

    public bool AnyOpen => open.Count > 0;

    public void WriteFigures(IDictionary<string, string> figures)
    {
        foreach (var (packed, entry) in entries)
        {
            var (cluster, vmidx) = (entry.Cluster, (int)(packed & uint.MaxValue));
            var key = string.Create(CultureInfo.InvariantCulture, $"teardown:{cluster}:{vmidx}:");
            foreach (var (recorder, cycles) in entry.Requested)
            {
                figures[key + "requested:" + recorder.ToString(CultureInfo.InvariantCulture)] = cycles.ToString(CultureInfo.InvariantCulture);
            }

            if (entry.Drained is { } drained)
            {
                figures[key + "drained"] = drained.ToString(CultureInfo.InvariantCulture);
                figures[key + "bkl-max"] = entry.BklMaxCycles.ToString(CultureInfo.InvariantCulture);
            }

            if (entry.ParentSaw is { } saw)
            {
                figures[key + "parent-saw"] = saw.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private Entry EntryOf(int cluster, int vmidx)
    {
        if (!entries.TryGetValue(Key(cluster, vmidx), out var entry))
        {
            entry = new Entry(cluster);
            entries[Key(cluster, vmidx)] = entry;
        }

        return entry;
    }

    private static long Key(int cluster, int vmidx) => ((long)cluster << 32) | (uint)vmidx;

    private void OpenWindow(Entry entry)
    {
        if (!entry.WindowOpened)
        {
            entry.WindowOpened = true;
            open.Add(entry);
        }
    }

    private sealed class Entry(int cluster)
    {
        public int Cluster { get; } = cluster;

        public SortedDictionary<int, ulong> Requested { get; } = new();

        public ulong? Drained { get; set; }

        public ulong? ParentSaw { get; set; }

        public bool WindowOpened { get; set; }

        /// <summary>Drained in the section now running: its hold still counts, then the window closes.</summary>
        public bool Closing { get; set; }

        public ulong BklMaxCycles { get; set; }
    }
}
