using System.Runtime.CompilerServices;
using H2Sim.HwThreadActors.System;

namespace H2Sim.Tests.Support;

/// <summary>
/// The tests run the kernel with the full invariant scan after every critical section (`--check
/// full`): every spec a test builds says so, and so do the specs sent to cluster nodes. Tests of
/// the incremental checks set the mode on their own specs.
/// </summary>
internal static class FullInvariantChecks
{
    [ModuleInitializer]
    internal static void UseFullChecks() => CheckModes.Default = CheckMode.Full;
}
