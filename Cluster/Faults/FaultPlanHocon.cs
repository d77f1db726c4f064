using System.Text;
using H2Sim.Core.Input;

namespace H2Sim.Cluster.Faults;

/// <summary>
/// A strict reader for the HOCON that fault plans are written in (hocon/faults/): objects
/// (<c>a.b { … }</c>, <c>key = { … }</c>), arrays, quoted and unquoted scalars, <c>=</c> or
/// <c>:</c>, commas or newlines between fields, <c>#</c> and <c>//</c> comments. Anything else —
/// an unclosed bracket, a substitution, an include, a key given twice, a value of several words —
/// is an error with its line. Akka's own HOCON parser is lenient (it accepts unclosed brackets
/// and can loop on them), and a fault plan is a run's input, so it gets a parser that refuses.
/// </summary>
public static class FaultPlanHocon
{
    /// <summary>Objects and arrays nest at most this deep (a plan nests 4: root, h2sim.faults, rules, a rule).</summary>
    public const int MaxDepth = 16;

    public abstract record Value(int Line);

    /// <summary>An object: fields in file order (keys are unique).</summary>
    public sealed record ObjectValue(int Line, IReadOnlyList<(string Key, int Line, Value Value)> Fields) : Value(Line);

    public sealed record ArrayValue(int Line, IReadOnlyList<Value> Items) : Value(Line);

    /// <summary>A string or number as written (quotes removed).</summary>
    public sealed record ScalarValue(int Line, string Text, bool Quoted) : Value(Line);

    /// <summary>Parses <paramref name="text"/>; errors are <see cref="InputException"/>s "FILE:LINE: …".</summary>
    public static ObjectValue Parse(string text, string file) => new Reader(Tokenize(text, file), file).Document();

    private enum Kind
    {
        Open,
        Close,
        OpenArray,
        CloseArray,
        Comma,
        Assign,
        Newline,
        Word,
        Quoted,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text, int Line);

    private static List<Token> Tokenize(string text, string file)
    {
        var tokens = new List<Token>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                tokens.Add(new Token(Kind.Newline, "\n", line++));
                i++;
            }
            else if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if ("{}[],=:".Contains(c, StringComparison.Ordinal))
            {
                var kind = c switch
                {
                    '{' => Kind.Open,
                    '}' => Kind.Close,
                    '[' => Kind.OpenArray,
                    ']' => Kind.CloseArray,
                    ',' => Kind.Comma,
                    _ => Kind.Assign,
                };
                tokens.Add(new Token(kind, c.ToString(), line));
                i++;
            }
            else if (c == '"')
            {
                tokens.Add(new Token(Kind.Quoted, QuotedString(text, ref i, line, file), line));
            }
            else if (c == '$')
            {
                throw Error(file, line, "substitutions (${…}) are not supported in a fault plan");
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && !"{}[],=:\"#$".Contains(text[i], StringComparison.Ordinal)
                    && !(text[i] == '/' && i + 1 < text.Length && text[i + 1] == '/'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i], line));
            }
        }

        tokens.Add(new Token(Kind.End, "end of file", line));
        return tokens;
    }

    private static string QuotedString(string text, ref int i, int line, string file)
    {
        var value = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\n')
            {
                break;
            }

            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    '"' or '\\' or '/' => text[i],
                    _ => throw Error(file, line, $"unknown escape '\\{text[i]}' in a quoted string"),
                });
            }
            else
            {
                value.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length || text[i] != '"')
        {
            throw Error(file, line, "a quoted string is not closed on its line");
        }

        i++;
        return value.ToString();
    }

    private static InputException Error(string file, int line, string message) => new($"{file}:{line}: {message}");

    private sealed class Reader(List<Token> tokens, string file)
    {
        private int position;
        private int depth;

        private Token Current => tokens[position];

        public ObjectValue Document()
        {
            SkipNewlines();
            var root = Current.Kind == Kind.Open ? Braced() : Body(Current.Line, Kind.End);
            SkipNewlines();
            if (Current.Kind != Kind.End)
            {
                throw Unexpected("the end of the file");
            }

            return root;
        }

        /// <summary>Fields up to <paramref name="closer"/> (a closing brace, or the end of the file at the root).</summary>
        private ObjectValue Body(int line, Kind closer)
        {
            var fields = new List<(string Key, int Line, Value Value)>();
            while (true)
            {
                SkipSeparators();
                if (Current.Kind == closer)
                {
                    return new ObjectValue(line, fields);
                }

                if (Current.Kind == Kind.End || (Current.Kind is Kind.Close or Kind.CloseArray && Current.Kind != closer))
                {
                    throw Error(file, Current.Line, $"the '{{' of line {line} is never closed (found {(Current.Kind == Kind.End ? "the end of the file" : $"'{Current.Text}'")})");
                }

                Field(fields);
                if (Current.Kind is not (Kind.Comma or Kind.Newline) && Current.Kind != closer)
                {
                    throw Unexpected("',' or a new line between fields");
                }
            }
        }

        /// <summary>`a.b.c = value` or `a.b.c { … }`: nested objects, one per path segment.</summary>
        private void Field(List<(string Key, int Line, Value Value)> fields)
        {
            var keyToken = Current;
            if (keyToken.Kind is not (Kind.Word or Kind.Quoted))
            {
                throw Unexpected("a key");
            }

            position++;
            var path = keyToken.Kind == Kind.Quoted ? [keyToken.Text] : keyToken.Text.Split('.');
            if (path.Any(segment => segment.Length == 0))
            {
                throw Error(file, keyToken.Line, $"'{keyToken.Text}' is not a key");
            }

            Value value;
            if (Current.Kind == Kind.Assign)
            {
                position++;
                value = Value();
            }
            else if (Current.Kind == Kind.Open)
            {
                value = Braced();
            }
            else
            {
                throw Unexpected($"'=' or '{{' after the key '{keyToken.Text}'");
            }

            for (var i = path.Length - 1; i > 0; i--)
            {
                value = new ObjectValue(keyToken.Line, [(path[i], keyToken.Line, value)]);
            }

            if (fields.Any(f => f.Key == path[0]))
            {
                throw Error(file, keyToken.Line, $"the key '{path[0]}' is given twice");
            }

            fields.Add((path[0], keyToken.Line, value));
        }

        private Value Value()
        {
            var token = Current;
            switch (token.Kind)
            {
                case Kind.Open:
                    return Braced();
                case Kind.OpenArray:
                    return Array();
                case Kind.Word or Kind.Quoted:
                    position++;
                    if (Current.Kind is Kind.Word or Kind.Quoted)
                    {
                        throw Error(file, token.Line, $"expected one value, found '{token.Text} {Current.Text}' (quote a value with spaces)");
                    }

                    return new ScalarValue(token.Line, token.Text, token.Kind == Kind.Quoted);
                default:
                    throw Unexpected("a value");
            }
        }

        private ObjectValue Braced()
        {
            var open = Current;
            Enter(open.Line);
            position++;
            var body = Body(open.Line, Kind.Close);
            position++;
            depth--;
            return body;
        }

        private ArrayValue Array()
        {
            var open = Current;
            Enter(open.Line);
            position++;
            var items = new List<Value>();
            while (true)
            {
                SkipSeparators();
                if (Current.Kind == Kind.CloseArray)
                {
                    position++;
                    depth--;
                    return new ArrayValue(open.Line, items);
                }

                if (Current.Kind is Kind.End or Kind.Close)
                {
                    throw Error(file, Current.Line, $"the '[' of line {open.Line} is never closed");
                }

                items.Add(Value());
                if (Current.Kind is not (Kind.Comma or Kind.Newline or Kind.CloseArray))
                {
                    throw Unexpected("',' or ']' after an item");
                }
            }
        }

        private void Enter(int line)
        {
            if (++depth > MaxDepth)
            {
                throw Error(file, line, $"objects and arrays nest deeper than {MaxDepth}");
            }
        }

        private void SkipNewlines()
        {
            while (Current.Kind == Kind.Newline)
            {
                position++;
            }
        }

        private void SkipSeparators()
        {
            while (Current.Kind is Kind.Newline or Kind.Comma)
            {
                position++;
            }
        }

        private InputException Unexpected(string expected)
        {
            var found = Current.Kind switch
            {
                Kind.End => "the end of the file",
                Kind.Newline => "the end of the line",
                _ => $"'{Current.Text}'",
            };
            return Error(file, Current.Line, $"expected {expected}, found {found}");
        }
    }
}
