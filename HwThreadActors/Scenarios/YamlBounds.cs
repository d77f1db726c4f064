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

    /// <summary>
    /// Nodes with every alias expanded: the largest generated storm (64 clusters of 62 VMs, 1M
    /// contexts) has about 0.6M; a 16 MiB file without aliases holds at most a few million.
    /// </summary>
    public const long MaxExpandedNodes = 4_000_000;

    /// <summary>Throws <see cref="ScenarioException"/> with the line of the first node past a bound.</summary>
    public static void Check(string text, string file)
    {
        var parser = new Parser(new StringReader(text));

        // Each open collection: its anchor and the node count when it opened (itself included), so
        // its size with aliases expanded is the count when it closes minus that.
        var open = new Stack<(string? Anchor, long FirstNode)>();
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        long nodes = 0;
        while (parser.MoveNext())
        {
            var ev = parser.Current!;
            switch (ev)
            {
                case NodeEvent { } start and (MappingStart or SequenceStart):
                    if (open.Count == MaxDepth)
                    {
                        throw new ScenarioException(file, start.Start.Line, $"nested deeper than {MaxDepth} levels");
                    }

                    open.Push((start.Anchor.IsEmpty ? null : start.Anchor.Value, nodes));
                    nodes++;
                    break;
                case MappingEnd or SequenceEnd:
                    var (anchor, firstNode) = open.Pop();
                    if (anchor is not null)
                    {
                        anchors[anchor] = nodes - firstNode;
                    }

                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty)
                    {
                        anchors[scalar.Anchor.Value] = 1;
                    }

                    nodes++;
                    break;
                case AnchorAlias alias:
                    nodes += Alias(alias, open, anchors, file);
                    break;
            }

            if (nodes > MaxExpandedNodes)
            {
                throw new ScenarioException(file, ev.Start.Line, $"more than {MaxExpandedNodes:N0} nodes with aliases expanded");
            }
        }
    }

    private static long Alias(AnchorAlias alias, Stack<(string? Anchor, long FirstNode)> open, Dictionary<string, long> anchors, string file)
    {
        if (open.Any(frame => frame.Anchor == alias.Value.Value))
        {
            throw new ScenarioException(file, alias.Start.Line, $"alias *{alias.Value.Value} refers to a node that contains it (a cycle)");
        }

        return anchors.TryGetValue(alias.Value.Value, out var size)
            ? size
            : throw new ScenarioException(file, alias.Start.Line, $"alias *{alias.Value.Value} names no anchor defined before it");
    }
}
