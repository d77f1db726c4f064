using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// Checks a YAML text's shape before it is turned into a node tree: YamlDotNet builds that tree
/// (and the loader walks it) recursively, so nesting deeper than <see cref="MaxDepth"/> would
/// overflow the stack, an alias inside the node it names (<c>&amp;v [*v]</c>) would make a cycle,
/// and aliases that expand to more than <see cref="MaxExpandedNodes"/> nodes would make
/// unbounded work from a small file. Reads only the parser's event stream, which is iterative.
/// </summary>
public static class YamlBounds
{
    /// <summary>A scenario nests about 8 levels (vms, threads, ops, repeat, if); 64 leaves room.</summary>
    public const int MaxDepth = 64;

    /// <summary>Nodes with every alias expanded: a 1M-context storm has about 200k.</summary>
    public const long MaxExpandedNodes = 4_000_000;

    /// <summary>Throws <see cref="ScenarioException"/> with the line of the first node past a bound.</summary>
    public static void Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<(string? Anchor, long Nodes)>();
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        while (parser.MoveNext())
        {
            var ev = parser.Current!;
            long added;
            switch (ev)
            {
                case NodeEvent { } start and (MappingStart or SequenceStart):
                    if (open.Count == MaxDepth)
                    {
                        throw new ScenarioException(file, start.Start.Line, $"nested deeper than {MaxDepth} levels");
                    }

                    open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, 1));
                    continue;
                case MappingEnd or SequenceEnd:
                    var (anchor, nodes) = open.Pop();
                    if (anchor is not null)
                    {
                        anchors[anchor] = nodes;
                    }

                    added = nodes;
                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty)
                    {
                        anchors[scalar.Anchor.Value] = 1;
                    }

                    added = 1;
                    break;
                case AnchorAlias alias:
                    added = Alias(alias, open, anchors, file);
                    break;
                default:
                    continue;
            }

            total += added;
            if (open.Count > 0)
            {
                var (anchor, nodes) = open.Pop();
                open.Push((anchor, nodes + added));
            }

            if (total > MaxExpandedNodes)
            {
                throw new ScenarioException(file, ev.Start.Line, $"more than {MaxExpandedNodes:N0} nodes with aliases expanded");
            }
        }
    }

    private static long Alias(AnchorAlias alias, Stack<(string? Anchor, long Nodes)> open, Dictionary<string, long> anchors, string file)
    {
        if (open.Any(frame => frame.Anchor == alias.Value.Value))
        {
            throw new ScenarioException(file, alias.Start.Line, $"alias *{alias.Value.Value} refers to a node that contains it (a cycle)");
        }

        return anchors.TryGetValue(alias.Value.Value, out var nodes)
            ? nodes
            : throw new ScenarioException(file, alias.Start.Line, $"alias *{alias.Value.Value} names no anchor defined before it");
    }
}
