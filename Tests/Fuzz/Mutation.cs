using CsCheck;

namespace H2Sim.Tests.Fuzz;

/// <summary>One edit of a file's bytes, as a fuzzer makes them: a bit flip, a byte, a cut, a copy, a token.</summary>
public readonly record struct Mutation(int Kind, int Position, int Value, int Length)
{
    /// <summary>One to six edits, any kind, anywhere (positions are taken modulo the length).</summary>
    public static readonly Gen<Mutation[]> Edits =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, int.MaxValue], Gen.Int[0, 255], Gen.Int[1, 300], (kind, position, value, length) => new Mutation(kind, position, value, length)).Array[1, 6];

    /// <summary>Applies <paramref name="edits"/> in order; <paramref name="tokens"/> are what a token insertion picks from.</summary>
    public static byte[] Apply(byte[] original, Mutation[] edits, IReadOnlyList<byte[]> tokens)
    {
        var data = new List<byte>(original);
        foreach (var edit in edits)
        {
            if (data.Count == 0)
            {
                data.AddRange(tokens[edit.Value % tokens.Count]);
                continue;
            }

            var at = edit.Position % data.Count;
            switch (edit.Kind)
            {
                case 0:
                    data[at] ^= (byte)(1 << (edit.Value % 8));
                    break;
                case 1:
                    data[at] = (byte)edit.Value;
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(edit.Length, data.Count - at));
                    break;
                case 3:
                    data.InsertRange(at, data.Skip((edit.Value * 7919) % data.Count).Take(edit.Length).ToList());
                    break;
                case 4:
                    data.InsertRange(at, tokens[edit.Value % tokens.Count]);
                    break;
                case 5:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 6:
                    // A token repeated: deep nesting, long expressions, huge numbers.
                    var token = tokens[edit.Value % tokens.Count];
                    for (var i = 0; i < edit.Length * 20; i++)
                    {
                        data.InsertRange(at, token);
                    }

                    break;
                default:
                    data.Insert(at, (byte)'\n');
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Tokens of YAML and of scenario expressions that made the loader fail before.</summary>
    public static readonly IReadOnlyList<byte[]> ScenarioTokens = Tokens(
        "&a ", "*a", "&v [", "*v]", "[", "]", "{", "}", "- ", "!!", "!optional ", ": ", "\t", "\0", "\"", "'", "#", "|\n", "~", "<<: *a",
        "9223372036854775808", "-9223372036854775808", "4294967296", "2147483648", "65537", "0x", "0xffffffffffffffff", "-1",
        "(", ")", "!", "/ -1", "% -1", " * 4611686018427387904", "(-9223372036854775807 - 1)", "max(", "self", "call: main",
        "repeat: {times: 1000000000, do: [yield]}", "topology: {clusters: 1000000}", "max_cpus: 65537", "prio: 256", "boots: 1000000", "\uFEFF");

    /// <summary>Tokens of HOCON fault plans.</summary>
    public static readonly IReadOnlyList<byte[]> PlanTokens = Tokens(
        "{", "}", "[", "]", "=", ":", ",", "\"", "#", "//", "${x}", "include \"x\"", "probabilty", "kind", "action", "drop", "delay",
        "KILL", "*", "-1", "1e309", "NaN", "0.5", "18446744073709551616", "ids = [\"1:2\"]", "rules = [", "h2sim.faults {", "\n", "\\");

    /// <summary>Bytes that matter in a log: the seal's framing, protobuf varint continuation bits.</summary>
    public static readonly IReadOnlyList<byte[]> LogTokens = [[0], [0xff], [0x0a], [0x09, 0x21], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]];

    private static byte[][] Tokens(params string[] texts) => texts.Select(t => global::System.Text.Encoding.UTF8.GetBytes(t)).ToArray();
}
