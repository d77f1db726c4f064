using H2Sim.Cluster.Artifacts;
using H2Sim.Cluster.Faults;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Protocol.Model;

namespace H2Sim.Cluster.Runs;

/// <summary>A finished scenario run: its spec, where and how it ran, its verdict and the files it wrote.</summary>
/// <param name="Engine">in-process, akka or cluster.</param>
/// <param name="InjectedFaults">The faults injected, when <see cref="ScenarioOutputs.ListFaults"/> asked and the run was in process (null otherwise).</param>
public sealed record ScenarioEngineRun(ModelSpec Spec, EngineRun Run, Verdict Verdict, string Engine, ArtifactList Artifacts, IReadOnlyList<InjectedFault>? InjectedFaults);
