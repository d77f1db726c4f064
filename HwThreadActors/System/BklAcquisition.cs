using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// An hthread took the BKL to run <paramref name="Entry"/> for <paramref name="Context"/> (null when
/// idle) after spinning <paramref name="SpunCycles"/> for it (0: it was free), while
/// <paramref name="Spinners"/> were still spinning (h2-domain.md §4.2). Reported
/// synchronously, so the contexts may be inspected during the callback.
/// </summary>
public sealed record BklAcquisition(ulong Cycles, int Cluster, int HThread, ThreadContext? Context, KernelEntry Entry, ulong SpunCycles, IReadOnlyList<BklSpinner> Spinners);

/// <summary>An hthread spinning on the BKL: the context in it and the kernel entry it waits to run.</summary>
public sealed record BklSpinner(int HThread, ThreadContext? Context, KernelEntry Entry);
