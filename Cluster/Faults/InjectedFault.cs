namespace H2Sim.Cluster.Faults;

/// <summary>One injected fault: the message's id, when, what was done, and the message's kind and ends.</summary>
public sealed record InjectedFault(string Id, ulong Cycles, string Action, ulong DelayCycles, string Kind, string FaultKind, string From, string To);
