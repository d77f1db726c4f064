using System.Globalization;
using System.Text;
using H2Sim.Core.Input;
using H2Sim.Core.Randomness;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// `h2sim gen storm`: a teardown storm as a scenario file (docs/scenarios.md). Every cluster has a
/// supervisor VM and child VMs; a fraction of the children have a supervisor on another cluster as
/// parent (the cross-cluster extension of architecture.md §2), the rest the local booter. Each
/// child's threads block in a mix of states — futex (a never-posted sem), PI (a mutex its holder
/// never releases), sem, cond, barrier, vmwait — or keep running; then either its parent kills it
/// (VMOP_KILL_VM, a KILL across clusters) or it exits itself (CHILDINT back across clusters).
/// Every choice is drawn from --seed.
/// </summary>
public static class StormGenerator
{
    /// <summary>Blocking states a child's worker ends in, by worker index modulo their count.</summary>
    private static readonly string[] States = ["futex", "pi", "sem", "cond", "barrier", "vmwait", "running"];

    public sealed record Options(int Clusters, int VmsPerCluster, int Threads, double CrossClusterParents, double KillFraction, ulong Seed, int HThreadsPerCluster = 4);

    public static void Validate(Options o)
    {
        if (o.Clusters < 2 || o.Clusters > ScenarioRanges.Clusters.Max)
        {
            throw new InputException($"a storm has 2..{ScenarioRanges.Clusters.Max} clusters (children need a parent on another cluster; a scenario has at most {ScenarioRanges.Clusters.Max} clusters)");
        }

        if (o.VmsPerCluster is < 2 or > 62)
        {
            throw new InputException("a storm has 2..62 VMs per cluster (one supervisor and at least one child; a cluster has 63 VM slots, one is the booter's)");
        }

        if (o.Threads is < 1 or > 65_000)
        {
            throw new InputException("a storm's child VM has 1..65000 threads");
        }

        if (o.CrossClusterParents is < 0 or > 1 || o.KillFraction is < 0 or > 1 || double.IsNaN(o.CrossClusterParents) || double.IsNaN(o.KillFraction))
        {
            throw new InputException("a storm's cross-cluster-parent and kill fractions are between 0 and 1");
        }

        if (o.HThreadsPerCluster < ScenarioRanges.HThreads.Min || o.HThreadsPerCluster > ScenarioRanges.HThreads.Max)
        {
            throw new InputException($"a storm's cluster has {ScenarioRanges.HThreads} hthreads");
        }

        // What the scenario's VMs declare (supervisors 2, children threads + 1), as the loader sums it.
        var contexts = (long)o.Clusters * (2 + ((long)(o.VmsPerCluster - 1) * (o.Threads + 1)));
        if (contexts > ScenarioRanges.Contexts.Max)
        {
            throw new InputException($"the storm would declare {contexts:N0} contexts; a scenario has at most {ScenarioRanges.Contexts.Max:N0} (fewer clusters, VMs per cluster or threads)");
        }
    }

    /// <summary>The scenario text, and how many contexts (vCPUs) its children and supervisors run.</summary>
    public static (string Text, long Contexts) Generate(Options o)
    {
        Validate(o);
        var random = new DeterministicRandom(o.Seed, 0, RandomPurpose.Storm);
        var text = new StringBuilder();
        AppendHeader(text, o);

        // Decide every child's parent and fate first, so supervisors know whom to kill.
        var children = DrawChildren(random, o);

        var contexts = 0L;
        var childrenOf = children.Where(k => k.Parent is not null).ToLookup(k => k.Parent!, StringComparer.Ordinal);
        for (var c = 0; c < o.Clusters; c++)
        {
            AppendSupervisor(text, c, childrenOf[Supervisor(c)].ToList(), o);
            contexts++;
        }

        foreach (var child in children)
        {
            AppendChild(text, child.Name, child.Cluster, child.Parent, child.Killed, o.Threads);
            contexts += o.Threads;
        }

        return (text.ToString(), contexts);
    }

    /// <summary>A child VM: where it runs, its parent (null: the local booter) and whether the parent kills it.</summary>
    private readonly record struct Child(string Name, int Cluster, string? Parent, bool Killed);

    private static void AppendHeader(StringBuilder text, Options o)
    {
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"# h2sim gen storm --clusters {o.Clusters} --vms-per-cluster {o.VmsPerCluster} --threads {o.Threads} --cross-cluster-parents {o.CrossClusterParents} --kill-fraction {o.KillFraction} --seed {o.Seed}");
        text.AppendLine("scenario: storm");
        text.AppendLine("description: supervisors on every cluster kill or outlive child VMs that block in every state; KILL and CHILDINT cross clusters");
        text.AppendLine(inv, $"topology: {{clusters: {o.Clusters}, hthreads: {o.HThreadsPerCluster}}}");
        text.AppendLine("horizon: 4_000_000_000");
        text.AppendLine("vms:");
    }

    /// <summary>
    /// Every child in cluster order, with its parent and fate drawn from <paramref name="random"/>:
    /// per child, a cross-cluster draw, the other cluster if so, then the kill draw if it has a parent.
    /// </summary>
    private static List<Child> DrawChildren(DeterministicRandom random, Options o)
    {
        var children = new List<Child>();
        for (var c = 0; c < o.Clusters; c++)
        {
            for (var v = 1; v < o.VmsPerCluster; v++)
            {
                string? parent = null;
                if (random.NextDouble() < o.CrossClusterParents)
                {
                    var other = (c + 1 + (int)random.NextBelow((ulong)(o.Clusters - 1))) % o.Clusters;
                    parent = Supervisor(other);
                }

                var killed = parent is not null && random.NextDouble() < o.KillFraction;
                children.Add(new Child($"c{c}_vm{v}", c, parent, killed));
            }
        }

        return children;
    }

    /// <summary>Cluster <paramref name="cluster"/>'s supervisor: it waits, kills its children to be killed, and waits for all of them.</summary>
    private static void AppendSupervisor(StringBuilder text, int cluster, List<Child> mine, Options o)
    {
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"  - name: {Supervisor(cluster)}");
        text.AppendLine(inv, $"    cluster: {cluster}");
        text.AppendLine("    max_cpus: 2");
        text.AppendLine("    threads:");
        text.AppendLine("      main:");
        if (mine.Count > 0)
        {
            text.AppendLine("        - take_child_interrupts");
            text.AppendLine(inv, $"        - spin: {KillDelay(o)}");
            foreach (var child in mine.Where(k => k.Killed))
            {
                text.AppendLine(inv, $"        - kill_child: {{vm: {child.Name}, status: 0x6b}}");
            }

            text.AppendLine("        - wait_children");
        }

        text.AppendLine(inv, $"        - print: supervisor {cluster} done");
        text.AppendLine("        - print: TEST PASSED");
    }

    /// <summary>
    /// How long a supervisor spins before its kills. Kill only once the children have created their
    /// threads: a KILL_VM that lands while a child is inside pthread_create strands the thread created
    /// after the sweep (§12 Q5). Every VM of a cluster creates its threads on the same few hthreads,
    /// so the wait grows with the cluster's threads per hthread.
    /// </summary>
    private static long KillDelay(Options o)
    {
        var creation = (long)o.VmsPerCluster * o.Threads * 8_000 / o.HThreadsPerCluster;
        return 200_000 + creation + (o.Threads * 20_000L);
    }

    private static string Supervisor(int cluster) => $"sup{cluster}";

    private static void AppendChild(StringBuilder text, string name, int cluster, string? parent, bool killed, int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"  - name: {name}");
        text.AppendLine(inv, $"    cluster: {cluster}");
        text.AppendLine(inv, $"    max_cpus: {threads + 1}");
        if (parent is not null)
        {
            text.AppendLine(inv, $"    parent: {parent}");
        }

        text.AppendLine(inv, $"    expect_status: {(killed ? "0x6b" : "0")}");
        text.AppendLine("    objects:");
        text.AppendLine("      never: sem");
        text.AppendLine("      held: mutex");
        text.AppendLine("      gate: sem");
        text.AppendLine("      c: cond");
        text.AppendLine("      m: mutex");
        text.AppendLine("      tickets: word");
        text.AppendLine(inv, $"      bar: {{barrier: {threads + 1}}}");
        text.AppendLine("    threads:");
        text.AppendLine("      main:");
        if (threads > 1)
        {
            // The PI holder first, so the mutex is held before anyone blocks on it.
            text.AppendLine("        - mutex_lock: held");
            text.AppendLine(inv, $"        - repeat: {{times: {threads - 1}, do: [{{create: {{thread: worker, arg: 0, detached: 1}}}}]}}");
        }

        text.AppendLine("        - spin: 50_000");
        text.AppendLine(killed ? "        - sem_wait: never" : "        - exit: 0");
        text.AppendLine("      worker:");
        // Each worker takes a ticket and ends in the state for ticket modulo the number of states.
        text.AppendLine("        - fetch_add: {word: tickets, add: 1, save: ticket}");
        for (var s = 0; s < States.Length; s++)
        {
            text.AppendLine(inv, $"        - if: {{that: ticket % {States.Length} == {s}, then: [{Body(States[s])}]}}");
        }
    }

    private static string Body(string state) => state switch
    {
        "futex" => "{sem_wait: never}",
        "pi" => "{mutex_lock: held}",
        "sem" => "{sem_wait: gate}",
        "cond" => "{mutex_lock: m}, {cond_wait: {cond: c, mutex: m}}",
        "barrier" => "{barrier_wait: bar}",
        "vmwait" => "{forever: [vmwait]}",
        _ => "{forever: [{spin: 5_000}, yield]}",
    };
}
