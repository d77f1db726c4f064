using System.Globalization;
using H2Sim.HwThreadActors.Pthread;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>What an expression reads at run time: parameters, variables, the caller's id.</summary>
public interface IExprEnvironment
{
    long Parameter(string name);

    long Variable(string name);

    long Self { get; }
}

/// <summary>
/// The integer expressions of scenario files: literals (decimal with _ separators, 0x hex),
/// parameters, variables, errno names (ESRCH, …, SERIAL, NULL), `self`, unary - and !, * / %,
/// + -, comparisons, &amp;&amp; ||, and max(a, b) / min(a, b). Names are resolved when the file is
/// loaded, so a typo is an error with its line, not a zero at run time.
/// </summary>
public abstract record ScenarioExpr
{
    public abstract long Eval(IExprEnvironment env);

    public sealed record Literal(long Value) : ScenarioExpr
    {
        public override long Eval(IExprEnvironment env) => Value;

        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    public sealed record Param(string Name) : ScenarioExpr
    {
        public override long Eval(IExprEnvironment env) => env.Parameter(Name);

        public override string ToString() => Name;
    }

    public sealed record Var(string Name) : ScenarioExpr
    {
        public override long Eval(IExprEnvironment env) => env.Variable(Name);

        public override string ToString() => Name;
    }

    public sealed record SelfId : ScenarioExpr
    {
        public override long Eval(IExprEnvironment env) => env.Self;

        public override string ToString() => "self";
    }

    public sealed record Unary(string Op, ScenarioExpr Operand) : ScenarioExpr
    {
        public override long Eval(IExprEnvironment env)
        {
            var value = Operand.Eval(env);
            return Op == "-" ? -value : value == 0 ? 1 : 0;
        }

        public override string ToString() => $"{Op}{Operand}";
    }

    public sealed record Binary(string Op, ScenarioExpr Left, ScenarioExpr Right) : ScenarioExpr
    {
        public override long Eval(IExprEnvironment env)
        {
            var a = Left.Eval(env);
            if (Op == "&&")
            {
                return a != 0 && Right.Eval(env) != 0 ? 1 : 0;
            }

            if (Op == "||")
            {
                return a != 0 || Right.Eval(env) != 0 ? 1 : 0;
            }

            var b = Right.Eval(env);
            return Op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" => b == 0 ? 0 : a / b,
                "%" => b == 0 ? 0 : a % b,
                "==" => a == b ? 1 : 0,
                "!=" => a != b ? 1 : 0,
                "<" => a < b ? 1 : 0,
                "<=" => a <= b ? 1 : 0,
                ">" => a > b ? 1 : 0,
                ">=" => a >= b ? 1 : 0,
                "max" => Math.Max(a, b),
                "min" => Math.Min(a, b),
                _ => throw new InvalidOperationException($"operator {Op}"),
            };
        }

        public override string ToString() => Op is "max" or "min" ? $"{Op}({Left}, {Right})" : $"({Left} {Op} {Right})";
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="resolve"/> classifies a name (null = undefined).</summary>
    public static ScenarioExpr Parse(string text, Func<string, ScenarioExpr?> resolve, Func<string, Exception> error) =>
        new Parser(text, resolve, error).ParseAll();

    /// <summary>An integer literal as scenario files write them (-12, 1_000_000, 0x7fff).</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        var s = text.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        var ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (s.Length == 0)
        {
            ok = false;
        }

        value = negative ? -value : value;
        return ok;
    }

    private sealed class Parser(string text, Func<string, ScenarioExpr?> resolve, Func<string, Exception> error)
    {
        private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!="], ["<=", ">=", "<", ">"], ["+", "-"], ["*", "/", "%"]];
        private int position;

        public ScenarioExpr ParseAll()
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw error("expected a number or an expression, found nothing");
            }

            var expr = ParseLevel(0);
            SkipSpace();
            if (position < text.Length)
            {
                throw error($"expected a number or an expression, found '{text}' (unexpected '{text[position..]}')");
            }

            return expr;
        }

        private ScenarioExpr ParseLevel(int level)
        {
            if (level == Levels.Length)
            {
                return ParseUnary();
            }

            var left = ParseLevel(level + 1);
            while (true)
            {
                SkipSpace();
                var op = Levels[level].FirstOrDefault(o => string.CompareOrdinal(text, position, o, 0, o.Length) == 0);
                if (op is null)
                {
                    return left;
                }

                position += op.Length;
                left = new Binary(op, left, ParseLevel(level + 1));
            }
        }

        private ScenarioExpr ParseUnary()
        {
            SkipSpace();
            if (position < text.Length && text[position] is '-' or '!')
            {
                var op = text[position++].ToString();
                var operand = ParseUnary();
                return op == "-" && operand is Literal literal ? new Literal(-literal.Value) : new Unary(op, operand);
            }

            return ParsePrimary();
        }

        private ScenarioExpr ParsePrimary()
        {
            SkipSpace();
            if (position >= text.Length)
            {
                throw error($"expected a number or an expression, found '{text}' (it ends too early)");
            }

            if (text[position] == '(')
            {
                position++;
                var inner = ParseLevel(0);
                Expect(')');
                return inner;
            }

            var start = position;
            if (char.IsDigit(text[position]))
            {
                while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
                {
                    position++;
                }

                var literal = text[start..position];
                return TryParseInteger(literal, out var value)
                    ? new Literal(value)
                    : throw error($"expected a number, found '{literal}'");
            }

            if (char.IsLetter(text[position]) || text[position] == '_')
            {
                while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '.'))
                {
                    position++;
                }

                var name = text[start..position];
                SkipSpace();
                if (name is "max" or "min" && position < text.Length && text[position] == '(')
                {
                    position++;
                    var a = ParseLevel(0);
                    Expect(',');
                    var b = ParseLevel(0);
                    Expect(')');
                    return new Binary(name, a, b);
                }

                if (name == "self")
                {
                    return new SelfId();
                }

                if (Errno.ByName.TryGetValue(name, out var errno))
                {
                    return new Literal(errno);
                }

                return resolve(name) ?? throw error($"undefined name '{name}' (expected a parameter, a variable set by `save`/`id`/`set`, an errno name or `self`)");
            }

            throw error($"expected a number or an expression, found '{text}'");
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (position >= text.Length || text[position] != c)
            {
                throw error($"expected '{c}' in '{text}'");
            }

            position++;
        }

        private void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }
    }
}
