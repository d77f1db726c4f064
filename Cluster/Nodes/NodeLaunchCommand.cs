namespace H2Sim.Cluster.Nodes;

/// <summary>
/// How a local worker node is started: the program, and its arguments for the hostname it listens
/// on and the seed (HOST:PORT) it joins. The host provides it (the h2sim executable starts itself
/// as `h2sim node … --attached`). A worker must host partitions with the same models and stop
/// when its standard input closes (<see cref="LocalWorkers"/>).
/// </summary>
public sealed record NodeLaunchCommand(string FileName, Func<string, string, IReadOnlyList<string>> Arguments);
