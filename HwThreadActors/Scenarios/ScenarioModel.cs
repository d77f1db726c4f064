using H2Sim.Core.Input;
using H2Sim.HwThreadActors.System;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>A loaded scenario file (docs/scenarios.md): everything needed to build a system, with source lines.</summary>
public sealed class Scenario
{
    public const ulong DefaultHorizonCycles = 2_000_000_000;

    public required string Name { get; init; }

    /// <summary>The file name errors and reports use.</summary>
    public required string File { get; init; }

    /// <summary>The file's text, so any node can rebuild the same system (KernelParams.scenario_text).</summary>
    public required string Text { get; init; }

    public string Description { get; init; } = string.Empty;

    public required Topology Topology { get; init; }

    public IReadOnlyDictionary<string, ulong> Costs { get; init; } = new Dictionary<string, ulong>();

    /// <summary>Parameters with their defaults, in file order.</summary>
    public required IReadOnlyList<ScenarioParameter> Parameters { get; init; }

    public required IReadOnlyList<ScenarioVm> Vms { get; init; }

    public ulong HorizonCycles { get; init; } = DefaultHorizonCycles;

    /// <summary>Builds the system with <paramref name="overrides"/> applied to the parameter defaults.</summary>
    public SystemDefinition Build(IReadOnlyDictionary<string, long>? overrides = null, IReadOnlyDictionary<string, ulong>? costOverrides = null) =>
        ScenarioBuilder.Build(this, overrides, costOverrides);

    /// <summary>The parameter values a run uses: defaults, then overrides (unknown names are an input error).</summary>
    public IReadOnlyDictionary<string, long> ParameterValues(IReadOnlyDictionary<string, long>? overrides)
    {
        var values = Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        foreach (var (name, value) in overrides ?? new Dictionary<string, long>())
        {
            if (!values.ContainsKey(name))
            {
                var known = Parameters.Count == 0 ? "it has none" : $"known: {string.Join(", ", Parameters.Select(p => p.Name))}";
                throw new InputException($"parameter '{name}': scenario '{Name}' has no parameter '{name}' ({known})");
            }

            values[name] = value;
        }

        return values;
    }
}

public sealed record ScenarioParameter(string Name, long Default, long Line);

/// <summary>A VM of the scenario: booted by its cluster's booter (h2-domain.md §6.5).</summary>
public sealed class ScenarioVm
{
    public required string Name { get; init; }

    public long Line { get; init; }

    public int Cluster { get; init; }

    /// <summary>The line of `cluster:` (the VM's line when it has none), for an index past the topology.</summary>
    public long ClusterLine { get; init; }

    public int MaxCpus { get; init; } = 32;

    public int Boots { get; init; } = 1;

    public long ExpectStatus { get; init; }

    public int Prio { get; init; } = 100;

    /// <summary>The parent VM's name (on another cluster, the cross-cluster extension); null: the booter.</summary>
    public string? Parent { get; init; }

    public long ParentLine { get; init; }

    /// <summary>In file order: main initialises (and so allocates) them in this order.</summary>
    public OrderedDictionary<string, ScenarioObject> Objects { get; } = new(StringComparer.Ordinal);

    /// <summary>In file order: the program table (and so each body's pc) follows it.</summary>
    public OrderedDictionary<string, ScenarioThread> Threads { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables written by `id:` (pthread_t globals, in guest memory), in file order: main allocates them in this order.</summary>
    public List<string> Globals { get; } = new();

    /// <summary>Variables written by `save:` / `set:` / `retval:` (thread locals).</summary>
    public HashSet<string> Locals { get; } = new(StringComparer.Ordinal);

    public string ProgramName(string thread) => $"{Name}.{thread}";
}

/// <summary>A named sync object in the VM's memory: mutex, cond, sem, barrier, rwlock, word, key or attr.</summary>
public sealed record ScenarioObject(string Name, string Type, long Initial, long Line)
{
    public static readonly IReadOnlyList<string> Types = ["mutex", "cond", "sem", "barrier", "rwlock", "word", "key", "attr"];

    public int Words => Type switch
    {
        "mutex" => Pthread.PthreadMutex.Words,
        "attr" => Pthread.PthreadAttr.Words,
        _ => 1,
    };
}

/// <summary>A thread body: the operations a pthread start routine (or main) runs.</summary>
public sealed class ScenarioThread(string name, long line)
{
    public string Name { get; } = name;

    public long Line { get; } = line;

    public List<ScenarioOp> Ops { get; } = new();
}

/// <summary>One operation with its arguments, already resolved (objects, threads, expressions).</summary>
public sealed class ScenarioOp(string kind, long line)
{
    public string Kind { get; } = kind;

    public long Line { get; } = line;

    public Dictionary<string, object> Args { get; } = new(StringComparer.Ordinal);

    public ScenarioExpr? Expr(string name) => Args.GetValueOrDefault(name) as ScenarioExpr;

    public ScenarioObject Object(string name) => (ScenarioObject)Args[name];

    public ScenarioThread Thread(string name) => (ScenarioThread)Args[name];

    public string? Text(string name) => Args.GetValueOrDefault(name) as string;

    public IReadOnlyList<ScenarioOp> Ops(string name) => Args.GetValueOrDefault(name) as List<ScenarioOp> ?? [];
}
