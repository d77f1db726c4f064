using H2Sim.Core.Input;
using H2Sim.HwThreadActors.System;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// Reads a scenario file (YAML, docs/scenarios.md) into a <see cref="Scenario"/>. Every error names
/// the file, the line and what was expected; names (objects, threads, parameters, variables) are
/// resolved here, so a file that loads runs. Every number is checked against its range
/// (<see cref="ScenarioRanges"/>), and the YAML's nesting and alias expansion are bounded
/// (<see cref="YamlBounds"/>) before the node tree is built.
/// </summary>
public sealed class ScenarioLoader
{
    private static readonly string[] TopKeys = ["scenario", "description", "topology", "params", "costs", "horizon", "vms"];
    private static readonly string[] VmKeys = ["name", "cluster", "max_cpus", "parent", "boots", "expect_status", "prio", "objects", "threads"];
    private static readonly string[] VariableKeys = ["save", "id", "retval", "var"];

    private readonly string file;
    private readonly Dictionary<string, long> parameters = new(StringComparer.Ordinal);
    private readonly List<(ScenarioVm Vm, ScenarioOp Op, string Child)> pendingChildren = new();

    /// <summary>A VM's cluster index before the topology is known; checked against it afterwards.</summary>
    private static readonly ScenarioRange ClusterIndex = new("a cluster index", 0, ScenarioRanges.Clusters.Max - 1);

    private ScenarioLoader(string file) => this.file = file;

    public static Scenario LoadFile(string path) =>
        Load(InputFile.ReadAllText(path, ScenarioRanges.MaxFileBytes, "scenario file"), Path.GetFileName(path));

    /// <summary>Loads scenario text; <paramref name="file"/> is the name errors carry.</summary>
    public static Scenario Load(string text, string file) => new ScenarioLoader(file).Parse(text);

    private Scenario Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            YamlBounds.Check(text, file);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw Error(e.Start.Line, $"not valid YAML: {e.Message}");
        }
        catch (Exception e) when (e is not (ScenarioException or OutOfMemoryException or InsufficientExecutionStackException))
        {
            // YamlDotNet throws more than its YamlException on some damaged input (a bad alias,
            // an invalid escape): still the file's fault, not h2sim's.
            throw Error(1, $"not valid YAML: {e.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Error(1, "expected one YAML mapping with the keys scenario, topology, params, vms");
        }

        var keys = Keys(root, TopKeys, "scenario");
        var name = keys.TryGetValue("scenario", out var nameNode) ? Scalar(nameNode, "the scenario name") : Path.GetFileNameWithoutExtension(file);
        foreach (var (param, _, value) in Entries(keys.GetValueOrDefault("params"), "parameters as `name: default`"))
        {
            parameters[param] = Integer(value, $"the default of parameter '{param}'");
        }

        var vmsNode = keys.TryGetValue("vms", out var v) ? v : throw Error(root, "expected a `vms:` list (at least one VM)");
        if (vmsNode is not YamlSequenceNode vmList || vmList.Children.Count == 0)
        {
            throw Error(vmsNode, "expected `vms:` to be a list of VMs");
        }

        if (vmList.Children.Count > ScenarioRanges.Vms.Max)
        {
            throw Error(vmsNode, $"expected at most {ScenarioRanges.Vms.Max} VMs, found {vmList.Children.Count}");
        }

        var vms = vmList.Children.Select(ParseVm).ToList();
        var duplicate = vms.GroupBy(vm => vm.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Error(duplicate.Skip(1).First().Line, $"VM '{duplicate.Key}' is defined twice");
        }

        var topology = ParseTopology(keys.GetValueOrDefault("topology"));
        CheckVms(vms, topology);
        return new Scenario
        {
            Name = name,
            File = file,
            Text = text,
            Description = keys.TryGetValue("description", out var d) ? Scalar(d, "a description") : string.Empty,
            Topology = topology,
            Costs = ParseCosts(keys.GetValueOrDefault("costs")),
            Parameters = parameters.Select(p => new ScenarioParameter(p.Key, p.Value, 0)).ToList(),
            Vms = vms,
            HorizonCycles = keys.TryGetValue("horizon", out var h) ? (ulong)Ranged(h, ScenarioRanges.Horizon) : Scenario.DefaultHorizonCycles,
        };
    }

    /// <summary>Across VMs: clusters within the topology, the contexts' bound, parents and children that exist.</summary>
    private void CheckVms(List<ScenarioVm> vms, Topology topology)
    {
        foreach (var vm in vms.Where(vm => vm.Cluster >= topology.Clusters))
        {
            throw Error(vm.ClusterLine, $"VM '{vm.Name}': expected a cluster in 0..{topology.Clusters - 1} (the topology has {topology.Clusters}), found {vm.Cluster}");
        }

        var contexts = vms.Sum(vm => (long)vm.MaxCpus);
        if (contexts > ScenarioRanges.Contexts.Max)
        {
            throw Error(vms[^1].Line, $"expected at most {ScenarioRanges.Contexts.Max:N0} {ScenarioRanges.Contexts.Name}, found {contexts:N0}");
        }

        foreach (var vm in vms.Where(vm => vm.Parent is not null))
        {
            var parentVm = vms.TakeWhile(v => v != vm).FirstOrDefault(v => v.Name == vm.Parent);
            if (parentVm is null || parentVm.Cluster == vm.Cluster)
            {
                throw Error(vm.ParentLine, $"VM '{vm.Name}': expected `parent: booter` or a VM defined before it on another cluster, found '{vm.Parent}'");
            }
        }

        foreach (var (vm, op, child) in pendingChildren)
        {
            if (!vms.Any(v => v.Name == child && v.Parent == vm.Name))
            {
                throw Error(op.Line, $"{op.Kind}: '{child}' is not a child of VM '{vm.Name}' (expected a VM with `parent: {vm.Name}`)");
            }
        }
    }

    private Topology ParseTopology(YamlNode? node)
    {
        switch (node)
        {
            case null:
                return Topology.Preset("v81");
            case YamlScalarNode scalar:
                try
                {
                    return Topology.Preset(scalar.Value ?? string.Empty);
                }
                catch (InputException e)
                {
                    throw Error(node, e.Message);
                }

            case YamlMappingNode mapping:
                var keys = Keys(mapping, ["clusters", "hthreads"], "topology");
                var clusters = keys.TryGetValue("clusters", out var c) ? Ranged(c, ScenarioRanges.Clusters) : 1;
                var hthreads = keys.TryGetValue("hthreads", out var h) ? Ranged(h, ScenarioRanges.HThreads) : 4;
                return new Topology((int)clusters, (int)hthreads);
            default:
                throw Error(node, "expected a preset (v81, v73, v68, v65) or {clusters: C, hthreads: H}");
        }
    }

    private Dictionary<string, ulong> ParseCosts(YamlNode? node)
    {
        var costs = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (cost, key, value) in Entries(node, "costs as `name: cycles` (the names of hocon/costs.conf)", hyphens: true))
        {
            if (!KernelActors.Config.CostModel.Names.Contains(cost))
            {
                throw Error(key, $"unknown cost '{cost}' (expected one of: {string.Join(", ", KernelActors.Config.CostModel.Names)})");
            }

            costs[cost] = (ulong)Ranged(value, ScenarioRanges.CostCycles with { Name = $"cycles for '{cost}'" });
        }

        return costs;
    }

    private ScenarioVm ParseVm(YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, "expected a VM: a mapping with name, threads, objects …");
        }

        var keys = Keys(mapping, VmKeys, "VM");
        var parentName = keys.TryGetValue("parent", out var parent) ? Scalar(parent, "the parent: booter or a VM on another cluster") : "booter";

        var vm = new ScenarioVm
        {
            Name = keys.TryGetValue("name", out var n) ? Scalar(n, "a VM name") : "test",
            Line = node.Start.Line,
            Cluster = keys.TryGetValue("cluster", out var c) ? (int)Ranged(c, ClusterIndex) : 0,
            ClusterLine = c?.Start.Line ?? node.Start.Line,
            MaxCpus = keys.TryGetValue("max_cpus", out var m) ? (int)Ranged(m, ScenarioRanges.MaxCpus) : 32,
            Boots = keys.TryGetValue("boots", out var b) ? (int)Ranged(b, ScenarioRanges.Boots) : 1,
            ExpectStatus = keys.TryGetValue("expect_status", out var e) ? Integer(e, "an exit status") : 0,
            Prio = keys.TryGetValue("prio", out var p) ? (int)Ranged(p, ScenarioRanges.Prio) : 100,
            Parent = parentName == "booter" ? null : parentName,
            ParentLine = parent?.Start.Line ?? node.Start.Line,
        };

        foreach (var (objectName, key, value) in Entries(keys.GetValueOrDefault("objects"), "objects as `name: type`"))
        {
            vm.Objects.Add(objectName, ParseObject(objectName, key, value));
        }

        var threadsNode = keys.TryGetValue("threads", out var t) ? t : throw Error(node, $"VM '{vm.Name}': expected `threads:` with at least `main`");
        var bodies = Entries(threadsNode, "threads as `name: [operations]`").ToList();
        foreach (var (threadName, key, _) in bodies)
        {
            if (vm.Objects.ContainsKey(threadName))
            {
                throw Error(key, $"'{threadName}' is both an object and a thread of VM '{vm.Name}'");
            }

            vm.Threads.Add(threadName, new ScenarioThread(threadName, key.Start.Line));
        }

        if (!vm.Threads.ContainsKey("main"))
        {
            throw Error(threadsNode, $"VM '{vm.Name}': expected a thread named `main`");
        }

        CollectVariables(threadsNode, vm);
        foreach (var (threadName, _, value) in bodies)
        {
            vm.Threads[threadName].Ops.AddRange(ParseOps(value, vm, $"the body of thread '{threadName}'"));
            CheckRepeats(vm.Threads[threadName].Ops, 1);
        }

        return vm;
    }

    private ScenarioObject ParseObject(string objectName, YamlScalarNode key, YamlNode value)
    {
        string type;
        YamlNode? argument = null;
        switch (value)
        {
            case YamlScalarNode scalar:
                type = scalar.Value ?? string.Empty;
                break;
            case YamlMappingNode { Children.Count: 1 } mapping:
                type = Scalar(mapping.Children[0].Key, $"the type of object '{objectName}'");
                argument = mapping.Children[0].Value;
                break;
            default:
                throw Error(value, $"object '{objectName}': expected a type ({string.Join(", ", ScenarioObject.Types)}) or {{type: initial}}");
        }

        if (!ScenarioObject.Types.Contains(type))
        {
            throw Error(value, $"object '{objectName}': unknown type '{type}' (expected one of: {string.Join(", ", ScenarioObject.Types)})");
        }

        long initial = 0;
        if (argument is not null)
        {
            initial = type switch
            {
                "mutex" => Scalar(argument, "normal or recursive") switch
                {
                    "normal" => Pthread.PthreadMutex.Normal,
                    "recursive" => Pthread.PthreadMutex.Recursive,
                    var other => throw Error(argument, $"mutex '{objectName}': expected normal or recursive, found '{other}'"),
                },
                "sem" => Ranged(argument, ScenarioRanges.SemValue with { Name = $"the initial value of sem '{objectName}'" }),
                "barrier" => Ranged(argument, ScenarioRanges.BarrierCount with { Name = $"the count of barrier '{objectName}'" }),
                "word" => Integer(argument, $"the initial value of word '{objectName}'"),
                _ => throw Error(argument, $"object '{objectName}': a {type} takes no initial value"),
            };
        }

        return new ScenarioObject(objectName, type, initial, key.Start.Line);
    }

    /// <summary>Variables are declared by being written (save, id, retval, set var): collect them first.</summary>
    private static void CollectVariables(YamlNode node, ScenarioVm vm)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && VariableKeys.Contains(name) && value is YamlScalarNode { Value: { } variable })
                    {
                        if (name != "id")
                        {
                            vm.Locals.Add(variable);
                        }
                        else if (!vm.Globals.Contains(variable))
                        {
                            vm.Globals.Add(variable);
                        }
                    }

                    CollectVariables(value, vm);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children)
                {
                    CollectVariables(child, vm);
                }

                break;
        }
    }

    private List<ScenarioOp> ParseOps(YamlNode node, ScenarioVm vm, string what)
    {
        if (node is YamlScalarNode { Value: null or "" } or YamlScalarNode { Style: ScalarStyle.Plain, Value: "[]" })
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Error(node, $"expected {what} to be a list of operations (`- op: argument`)");
        }

        return sequence.Children.Select(child => ParseOp(child, vm)).ToList();
    }

    private ScenarioOp ParseOp(YamlNode node, ScenarioVm vm)
    {
        string name;
        YamlNode? value = null;
        switch (node)
        {
            case YamlScalarNode scalar:
                name = scalar.Value ?? string.Empty;
                break;
            case YamlMappingNode { Children.Count: 1 } mapping when mapping.Children[0].Key is YamlScalarNode key:
                name = key.Value ?? string.Empty;
                value = mapping.Children[0].Value;
                break;
            default:
                throw Error(node, "expected an operation: `- name` or `- name: argument` or `- name: {key: value, …}`");
        }

        if (!ScenarioOps.All.TryGetValue(name, out var spec))
        {
            throw Error(node, $"unknown operation '{name}': {ClosestNames.Hint(name, ScenarioOps.All.Keys, "the operations are listed in docs/scenarios.md")}");
        }

        var op = new ScenarioOp(name, node.Start.Line);
        switch (value)
        {
            case null:
                break;
            case YamlMappingNode arguments when spec.Shorthand is null || spec.Arg(spec.Shorthand)!.Kind != ArgKind.Ops:
                foreach (var (keyNode, argument) in arguments.Children)
                {
                    var key = Scalar(keyNode, "an argument name");
                    var arg = spec.Arg(key) ?? throw Error(keyNode, $"{name}: unknown argument '{key}' (expected {Describe(spec)})");
                    op.Args[key] = ParseArg(spec, arg, argument, vm);
                }

                break;
            case YamlScalarNode { Value: null or "" } when spec.Shorthand is null:
                break;
            default:
                if (spec.Shorthand is null)
                {
                    throw Error(value, $"{name}: expected {{{string.Join(", ", spec.Args.Select(a => a.Name + ": …"))}}}");
                }

                op.Args[spec.Shorthand] = ParseArg(spec, spec.Arg(spec.Shorthand)!, value, vm);
                break;
        }

        foreach (var required in spec.Args.Where(a => a.Required && !op.Args.ContainsKey(a.Name)))
        {
            throw Error(node, $"{name}: expected the argument '{required.Name}' ({Describe(spec)})");
        }

        foreach (var childArg in spec.Args.Where(a => a.Kind == ArgKind.ChildVm && op.Args.ContainsKey(a.Name)))
        {
            pendingChildren.Add((vm, op, (string)op.Args[childArg.Name]));
        }

        return op;
    }

    private object ParseArg(OpSpec spec, ArgSpec arg, YamlNode node, ScenarioVm vm)
    {
        switch (arg.Kind)
        {
            case ArgKind.Expr:
                var expr = Expression(node, vm, $"{spec.Name} {arg.Name}");
                return arg.Range is { } range && expr.ConstantValue is { } value && !range.Contains(value)
                    ? throw Error(node, $"{spec.Name}: expected {range.Name} in {range}, found {value}")
                    : expr;
            case ArgKind.Object:
                var objectName = Scalar(node, $"the name of a {arg.ObjectType ?? "sync object"}");
                if (!vm.Objects.TryGetValue(objectName, out var obj))
                {
                    var known = vm.Objects.Count == 0 ? "the VM declares no objects" : $"declared: {string.Join(", ", vm.Objects.Keys)}";
                    throw Error(node, $"{spec.Name}: undefined sync object '{objectName}' (expected an object under `objects:`; {known})");
                }

                if (arg.ObjectType is not null && obj.Type != arg.ObjectType)
                {
                    throw Error(node, $"{spec.Name}: expected a {arg.ObjectType}, but '{objectName}' is a {obj.Type} (line {obj.Line})");
                }

                return obj;
            case ArgKind.Thread:
                var threadName = Scalar(node, "a thread name");
                if (threadName == "main" && spec.Name != "call")
                {
                    throw Error(node, $"{spec.Name}: `main` runs behind crt0 and cannot be started again (expected another thread of VM '{vm.Name}')");
                }

                return vm.Threads.TryGetValue(threadName, out var thread)
                    ? thread
                    : throw Error(node, $"{spec.Name}: thread '{threadName}' is never defined in VM '{vm.Name}' (expected one of: {string.Join(", ", vm.Threads.Keys)})");
            case ArgKind.Text when spec.Name == "print":
                var line = Scalar(node, "the text to print");
                foreach (global::System.Text.RegularExpressions.Match match in global::System.Text.RegularExpressions.Regex.Matches(line, @"\{([A-Za-z_][A-Za-z0-9_]*)\}"))
                {
                    var name = match.Groups[1].Value;
                    if (!parameters.ContainsKey(name) && !vm.Locals.Contains(name) && !vm.Globals.Contains(name) && name != "arg")
                    {
                        throw Error(node, $"print: undefined name '{{{name}}}' (expected a parameter or a variable set by `save`/`id`/`set`)");
                    }
                }

                return line;
            case ArgKind.Text:
                var text = Scalar(node, arg.Name);
                if (arg.Choices is { } choices && !choices.Contains(text))
                {
                    throw Error(node, $"{spec.Name}: expected {arg.Name} to be one of {string.Join(", ", choices)}, found '{text}'");
                }

                return text;
            case ArgKind.Ops:
                return ParseOps(node, vm, $"{spec.Name} {arg.Name}");
            case ArgKind.ChildVm:
                return Scalar(node, "the name of a child VM");
            default:
                var variable = Scalar(node, "a variable name");
                if (!IsIdentifier(variable))
                {
                    throw Error(node, $"{spec.Name}: expected a variable name (letters, digits, _), found '{variable}'");
                }

                return variable;
        }
    }

    private ScenarioExpr Expression(YamlNode node, ScenarioVm vm, string what)
    {
        var text = Scalar(node, $"a number or an expression for {what}");
        return ScenarioExpr.Parse(
            text,
            name => parameters.ContainsKey(name) ? new ScenarioExpr.Param(name)
                : vm.Locals.Contains(name) || vm.Globals.Contains(name) || name == "arg" ? new ScenarioExpr.Var(name)
                : null,
            message => Error(node, $"{what}: {message}"));
    }

    private static bool IsIdentifier(string text) => text.Length > 0 && (char.IsLetter(text[0]) || text[0] == '_') && text.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static string Describe(OpSpec spec) =>
        spec.Args.Length == 0 ? "no arguments" : string.Join(", ", spec.Args.Select(a => a.Required ? a.Name : a.Name + "?"));

    private Dictionary<string, YamlNode> Keys(YamlMappingNode mapping, string[] allowed, string what)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = Scalar(keyNode, "a key");
            if (!allowed.Contains(key))
            {
                throw Error(keyNode, $"unknown key '{key}' in the {what} (expected one of: {string.Join(", ", allowed)})");
            }

            if (!result.TryAdd(key, value))
            {
                throw Error(keyNode, $"key '{key}' appears twice in the {what}");
            }
        }

        return result;
    }

    private IEnumerable<(string Name, YamlScalarNode Key, YamlNode Value)> Entries(YamlNode? node, string what, bool hyphens = false)
    {
        switch (node)
        {
            case null:
            case YamlScalarNode { Value: null or "" }:
                yield break;
            case YamlMappingNode mapping:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name } scalar || !IsIdentifier(hyphens ? name.Replace('-', '_') : name))
                    {
                        throw Error(key, $"expected {what}: a name (letters, digits, _{(hyphens ? ", -" : string.Empty)})");
                    }

                    if (!seen.Add(name))
                    {
                        throw Error(key, $"'{name}' is defined twice");
                    }

                    yield return (name, scalar, value);
                }

                break;
            default:
                throw Error(node, $"expected {what}");
        }
    }

    private string Scalar(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, $"expected {what}, found a {(node is YamlSequenceNode ? "list" : "mapping")}");

    private long Integer(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        return ScenarioExpr.TryParseInteger(text, out var value) ? value : throw Error(node, $"expected {what} (a number), found '{text}'");
    }

    /// <summary>A number in the file, checked against its range.</summary>
    private long Ranged(YamlNode node, ScenarioRange range)
    {
        var text = Scalar(node, $"{range.Name} ({range})");
        if (!ScenarioExpr.TryParseInteger(text, out var value))
        {
            throw Error(node, $"expected {range.Name} in {range} (a number), found '{text}'");
        }

        return range.Contains(value) ? value : throw Error(node, $"expected {range.Name} in {range}, found {value}");
    }

    /// <summary>
    /// Repeat counts known at load: each in range, and the iterations of repeats nested in each
    /// other (multiplied) within the bound on work. Counts computed at run time are checked there.
    /// </summary>
    private void CheckRepeats(IReadOnlyList<ScenarioOp> ops, long enclosingIterations)
    {
        foreach (var op in ops)
        {
            var iterations = enclosingIterations;
            if (op.Kind == "repeat" && op.Expr("times")?.ConstantValue is { } times)
            {
                // Its range was checked when the argument was read (ArgSpec.Range).
                iterations = enclosingIterations * Math.Max(times, 1);
                if (iterations > ScenarioRanges.NestedRepeatIterations.Max)
                {
                    throw Error(op.Line, $"repeat: the repeats around and including this one run {iterations:N0} iterations, at most {ScenarioRanges.NestedRepeatIterations.Max:N0}");
                }
            }

            foreach (var nested in op.Args.Values.OfType<List<ScenarioOp>>())
            {
                CheckRepeats(nested, iterations);
            }
        }
    }

    private ScenarioException Error(YamlNode node, string message) => Error(node.Start.Line, message);

    private ScenarioException Error(long line, string message) => new(file, line, message);
}
