using H2Sim.Core.Run;

namespace H2Sim.Cluster.Runs;

/// <summary>What a caller may add to a run: a cancellation, a progress board, a warm-up spec.</summary>
/// <param name="Cancel">Fails the run naming its window (Ctrl-C on a cluster run).</param>
/// <param name="Progress">Updated after each window, for a progress display.</param>
/// <param name="Warmup">Run first on the same engine and discarded (benchmarks: JIT the hot path).</param>
public sealed record RunControl(CancellationToken Cancel = default, RunProgress? Progress = null, H2Sim.Protocol.Model.ModelSpec? Warmup = null);
