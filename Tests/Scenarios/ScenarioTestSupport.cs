using H2Sim.Core.Events;
using H2Sim.Core.Partitioning;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Tests.Scenarios;

/// <summary>Loads scenario text and runs it in-process, through the real model and pthread layer.</summary>
public static class ScenarioTestSupport
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SuiteDirectory => Path.Combine(RepositoryRoot, "scenarios", "h2-pthread");

    public static ScenarioRunResult Run(string yaml, KernelVariant kernel = KernelVariant.Master, IDeliveryObserver? observer = null, ulong seed = 1, IReadOnlyDictionary<string, long>? parameters = null, string? policies = null, Action<HwThreadActors.System.BklAcquisition>? bklObserver = null)
    {
        var scenario = ScenarioLoader.Load(yaml, "test.yaml");
        var options = new ScenarioRunOptions(kernel, Seed: seed, Params: parameters) { Policies = Policies(policies) };
        return ScenarioRunner.Run(scenario, options, bklObserver, observer);
    }

    /// <summary>"refuse-create=off,on-empty=auto-free" as the --policy pairs it stands for.</summary>
    public static KernelPolicies Policies(string? text) =>
        KernelPolicies.ParseTexts((text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The guest's printed lines of the test VM, without the "test: " prefix.</summary>
    public static List<string> Printed(ScenarioRunResult run) =>
        run.Report.Printed.Where(p => p.StartsWith("test: ", StringComparison.Ordinal)).Select(p => p["test: ".Length..]).ToList();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "H2Actors.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (H2Actors.sln)");
    }
}

/// <summary>Collects delivered events of one kind (the trace, as a test sees it).</summary>
public sealed class KindObserver(int kind) : IDeliveryObserver
{
    private readonly Lock gate = new();

    public List<SimEvent> Events { get; } = new();

    public void OnDelivered(int partition, in SimEvent ev)
    {
        if (ev.Kind == kind)
        {
            lock (gate)
            {
                Events.Add(ev);
            }
        }
    }
}
