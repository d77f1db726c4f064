using H2Sim.Core.Input;
using H2Sim.Core.Recording;
using H2Sim.HwThreadActors.System;
using H2Sim.Protocol.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// The scenario's removable parts, for minimisation (architecture.md §8): a whole VM (one nobody
/// names as parent), a thread other than main together with the operations that create it, an
/// operation tagged <c>!optional</c>, and one hthread per cluster. Each candidate is the scenario
/// text with one part removed; a candidate the loader rejects is simply not a reduction.
/// </summary>
public sealed class ScenarioReducer : ISpecReducer
{
    public const string OptionalTag = "!optional";

    public IEnumerable<ModelSpec> Reductions(ModelSpec spec)
    {
        var text = spec.Kernel?.ScenarioText;
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        foreach (var candidate in Candidates(text))
        {
            if (!Loads(candidate, spec))
            {
                continue;
            }

            var reduced = spec.Clone();
            reduced.Kernel.ScenarioText = candidate;
            yield return reduced;
        }
    }

    /// <summary>Counts of what a scenario has (VMs, threads, operations, hthreads), for before/after sizes.</summary>
    public static ScenarioSize Size(string text)
    {
        var root = Parse(text);
        var vms = Vms(root).ToList();
        var threads = vms.SelectMany(vm => Threads(vm)).ToList();
        var ops = threads.Sum(t => (t.Value as YamlSequenceNode)?.Children.Count ?? 0);
        return new ScenarioSize(vms.Count, threads.Count, ops, HThreads(root));
    }

    /// <summary>
    /// Every candidate, in a fixed order: each VM, each thread, each !optional operation, then a
    /// smaller topology. Each candidate re-parses the text, so removals never accumulate.
    /// </summary>
    private static IEnumerable<string> Candidates(string text)
    {
        foreach (var candidate in WithoutEachVm(text))
        {
            yield return candidate;
        }

        foreach (var candidate in WithoutEachThread(text))
        {
            yield return candidate;
        }

        foreach (var candidate in WithoutEachOptionalOperation(text))
        {
            yield return candidate;
        }

        foreach (var candidate in WithSmallerTopology(text))
        {
            yield return candidate;
        }
    }

    /// <summary>The text without one VM, for each VM that is not the only one and that no VM names as parent.</summary>
    private static IEnumerable<string> WithoutEachVm(string text)
    {
        var vmCount = Vms(Parse(text)).Count();
        for (var v = 0; v < vmCount; v++)
        {
            var root = Parse(text);
            var vms = (YamlSequenceNode)root.Children[new YamlScalarNode("vms")];
            var vm = (YamlMappingNode)vms.Children[v];
            var name = Scalar(vm, "name") ?? "test";
            var isParent = Vms(root).Any(other => Scalar(other, "parent") == name);
            if (vmCount > 1 && !isParent)
            {
                vms.Children.RemoveAt(v);
                yield return Serialize(root);
            }
        }
    }

    /// <summary>The text without one thread other than main, for each such thread of each VM.</summary>
    private static IEnumerable<string> WithoutEachThread(string text)
    {
        var vmCount = Vms(Parse(text)).Count();
        for (var v = 0; v < vmCount; v++)
        {
            var threadNames = Threads(Vms(Parse(text)).ElementAt(v)).Select(t => ((YamlScalarNode)t.Key).Value!).Where(n => n != "main").ToList();
            foreach (var thread in threadNames)
            {
                yield return WithoutThread(text, v, thread);
            }
        }
    }

    /// <summary>The text without the VM's thread and without the operations (of any of its threads) that create it.</summary>
    private static string WithoutThread(string text, int vmIndex, string thread)
    {
        var root = Parse(text);
        var vm = Vms(root).ElementAt(vmIndex);
        var threads = (YamlMappingNode)vm.Children[new YamlScalarNode("threads")];
        threads.Children.Remove(new YamlScalarNode(thread));
        foreach (var body in threads.Children.Values.OfType<YamlSequenceNode>())
        {
            RemoveWhere(body, op => CreatesThread(op, thread));
        }

        return Serialize(root);
    }

    /// <summary>The text without one !optional operation, for each of them in VM, thread and operation order.</summary>
    private static IEnumerable<string> WithoutEachOptionalOperation(string text)
    {
        for (var optional = 0; ; optional++)
        {
            var root = Parse(text);
            if (!RemoveOptional(root, optional))
            {
                yield break;
            }

            yield return Serialize(root);
        }
    }

    /// <summary>Removes the <paramref name="ordinal"/>-th !optional operation of the whole scenario; false when there are fewer.</summary>
    private static bool RemoveOptional(YamlMappingNode root, int ordinal)
    {
        var bodies = Vms(root).SelectMany(vm => Threads(vm)).Select(t => t.Value).OfType<YamlSequenceNode>().ToList();
        var index = 0;
        foreach (var body in bodies)
        {
            for (var i = 0; i < body.Children.Count; i++)
            {
                if (IsOptional(body.Children[i]) && index++ == ordinal)
                {
                    body.Children.RemoveAt(i);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The text with only the clusters its VMs use, then the text with one hthread per cluster fewer.</summary>
    private static IEnumerable<string> WithSmallerTopology(string text)
    {
        var hthreads = HThreads(Parse(text));
        var clustersUsed = Vms(Parse(text)).Select(vm => int.Parse(Scalar(vm, "cluster") ?? "0", global::System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1;
        if (clustersUsed < hthreads.Clusters)
        {
            yield return WithTopology(text, clustersUsed, hthreads.PerCluster);
        }

        if (hthreads.PerCluster > 1)
        {
            yield return WithTopology(text, hthreads.Clusters, hthreads.PerCluster - 1);
        }
    }

    private static string WithTopology(string text, int clusters, int perCluster)
    {
        var root = Parse(text);
        root.Children[new YamlScalarNode("topology")] = TopologyNode(clusters, perCluster);
        return Serialize(root);
    }

    private static YamlMappingNode TopologyNode(int clusters, int perCluster) => new(
        new YamlScalarNode("clusters"), new YamlScalarNode(clusters.ToString(global::System.Globalization.CultureInfo.InvariantCulture)),
        new YamlScalarNode("hthreads"), new YamlScalarNode(perCluster.ToString(global::System.Globalization.CultureInfo.InvariantCulture)));

    private static bool IsOptional(YamlNode op) => !op.Tag.IsEmpty && !op.Tag.IsNonSpecific && op.Tag.Value == OptionalTag;

    private static bool Loads(string text, ModelSpec spec)
    {
        try
        {
            var scenario = ScenarioLoader.Load(text, spec.Kernel.ScenarioName);
            scenario.Build(spec.Kernel.Params.ToDictionary(p => p.Key, p => long.Parse(p.Value, global::System.Globalization.CultureInfo.InvariantCulture)));
            return true;
        }
        catch (InputException)
        {
            return false;
        }
    }

    private static bool CreatesThread(YamlNode op, string thread) =>
        op is YamlMappingNode map
        && map.Children.TryGetValue(new YamlScalarNode("create"), out var value)
        && (value is YamlScalarNode { Value: var name } && name == thread
            || value is YamlMappingNode args && Scalar(args, "thread") == thread);

    private static void RemoveWhere(YamlSequenceNode body, Func<YamlNode, bool> predicate)
    {
        for (var i = body.Children.Count - 1; i >= 0; i--)
        {
            if (predicate(body.Children[i]))
            {
                body.Children.RemoveAt(i);
            }
        }
    }

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Serialize(YamlMappingNode root)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(new TagKeepingEmitter(new Emitter(writer)), assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>
    /// YamlDotNet writes a mapping or a sequence as implicit, which drops its tag: `- !optional {spin: 500}`
    /// would come back untagged, and a candidate could no longer offer that operation for removal.
    /// </summary>
    private sealed class TagKeepingEmitter(IEmitter inner) : IEmitter
    {
        public void Emit(ParsingEvent @event) => inner.Emit(@event switch
        {
            MappingStart { Tag.IsEmpty: false, IsImplicit: true } m => new MappingStart(m.Anchor, m.Tag, false, m.Style),
            SequenceStart { Tag.IsEmpty: false, IsImplicit: true } q => new SequenceStart(q.Anchor, q.Tag, false, q.Style),
            _ => @event,
        });
    }

    private static IEnumerable<YamlMappingNode> Vms(YamlMappingNode root) =>
        root.Children.TryGetValue(new YamlScalarNode("vms"), out var vms) && vms is YamlSequenceNode list
            ? list.Children.OfType<YamlMappingNode>()
            : [];

    private static IEnumerable<KeyValuePair<YamlNode, YamlNode>> Threads(YamlMappingNode vm) =>
        vm.Children.TryGetValue(new YamlScalarNode("threads"), out var threads) && threads is YamlMappingNode map ? map.Children : [];

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static (int Clusters, int PerCluster) HThreads(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("topology"), out var node))
        {
            var preset = Topology.Preset("v81");
            return (preset.Clusters, preset.HThreadsPerCluster);
        }

        if (node is YamlScalarNode { Value: { } name })
        {
            var preset = Topology.Preset(name);
            return (preset.Clusters, preset.HThreadsPerCluster);
        }

        var map = (YamlMappingNode)node;
        return (int.Parse(Scalar(map, "clusters") ?? "1", global::System.Globalization.CultureInfo.InvariantCulture), int.Parse(Scalar(map, "hthreads") ?? "4", global::System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>How big a scenario is.</summary>
public sealed record ScenarioSize(int Vms, int Threads, int Operations, (int Clusters, int PerCluster) HThreads)
{
    public override string ToString() => $"{Vms} VM(s), {Threads} thread(s), {Operations} operation(s), {HThreads.Clusters}×{HThreads.PerCluster} hthreads";
}
