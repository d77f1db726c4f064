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
/// loaded, so a typo is an error with its line, not a zero at run time. Arithmetic is checked: a
/// result that does not fit 64 bits (long.MinValue / -1 included) throws
/// <see cref="OverflowException"/>, which the loader reports for constant operands and the
/// interpreter for the rest (ScenarioInterpreter, with the operation's file:line). Expressions are
/// bounded in length and depth (<see cref="ScenarioRanges"/>), so evaluating one never recurses
/// deeply.
/// </summary>
public abstract record ScenarioExpr
{
    public abstract long Eval(IExprEnvironment env);

    /// <summary>Levels of the tree: 1 for a leaf.</summary>
    public abstract int Depth { get; }

    /// <summary>Whether the value is known at load (no parameter, variable or self).</summary>
    public abstract bool IsConstant { get; }

    /// <summary>The value when it is known at load (constants were evaluated, checked, when parsed); else null.</summary>
    public long? ConstantValue => IsConstant ? Eval(NoEnvironment.Instance) : null;

    public sealed record Literal(long Value) : ScenarioExpr
    {
        public override int Depth => 1;

        public override bool IsConstant => true;

        public override long Eval(IExprEnvironment env) => Value;

        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }

    public sealed record Param(string Name) : ScenarioExpr
    {
        public override int Depth => 1;

        public override bool IsConstant => false;

        public override long Eval(IExprEnvironment env) => env.Parameter(Name);

        public override string ToString() => Name;
    }

    public sealed record Var(string Name) : ScenarioExpr
    {
        public override int Depth => 1;

        public override bool IsConstant => false;

        public override long Eval(IExprEnvironment env) => env.Variable(Name);

        public override string ToString() => Name;
    }

    public sealed record SelfId : ScenarioExpr
    {
        public override int Depth => 1;

        public override bool IsConstant => false;

        public override long Eval(IExprEnvironment env) => env.Self;

        public override string ToString() => "self";
    }

    public sealed record Unary(string Op, ScenarioExpr Operand) : ScenarioExpr
    {
        public override int Depth { get; } = 1 + Operand.Depth;

        public override bool IsConstant => Operand.IsConstant;

        public override long Eval(IExprEnvironment env)
        {
            var value = Operand.Eval(env);
            if (Op != "-")
            {
                return value == 0 ? 1 : 0;
            }

            return value != long.MinValue ? -value : throw Overflow(this, string.Create(CultureInfo.InvariantCulture, $"-({value})"));
        }

        public override string ToString() => $"{Op}{Operand}";
    }

    public sealed record Binary(string Op, ScenarioExpr Left, ScenarioExpr Right) : ScenarioExpr
    {
        public override int Depth { get; } = 1 + Math.Max(Left.Depth, Right.Depth);

        public override bool IsConstant => Left.IsConstant && Right.IsConstant;

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
            try
            {
                return Arithmetic(a, b);
            }
            catch (OverflowException)
            {
                throw Overflow(this, string.Create(CultureInfo.InvariantCulture, $"{a} {Op} {b}"));
            }
        }

        public override string ToString() => Op is "max" or "min" ? $"{Op}({Left}, {Right})" : $"({Left} {Op} {Right})";

        private long Arithmetic(long a, long b) =>
            Op switch
            {
                "+" => checked(a + b),
                "-" => checked(a - b),
                "*" => checked(a * b),

                // long.MinValue / -1 and % -1 do not fit (x64 traps on both): checked like the rest.
                "/" => b == 0 ? 0 : b == -1 ? checked(-a) : a / b,
                "%" => b == 0 ? 0 : b == -1 ? (a == long.MinValue ? throw new OverflowException() : 0) : a % b,
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

    private static OverflowException Overflow(ScenarioExpr expr, string operation) =>
        new($"{operation} does not fit 64 bits (in {expr})");

    /// <summary>Parses <paramref name="text"/>; <paramref name="resolve"/> classifies a name (null = undefined).</summary>
    public static ScenarioExpr Parse(string text, Func<string, ScenarioExpr?> resolve, Func<string, Exception> error) =>
        new Parser(text, resolve, error).ParseAll();

    /// <summary>An integer literal as scenario files write them (-12, 1_000_000, 0x7fff).</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var s = text.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+'))
        {
            s = s[1..];
        }

        // Hex is a 64-bit pattern (0xffffffffffffffff is -1); decimal is a value, -2^63 included.
        ulong magnitude;
        var ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude) && s.Length > 2
            : ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude) && (magnitude <= long.MaxValue || (negative && magnitude == 1UL << 63));
        if (!ok)
        {
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : unchecked((long)magnitude);
        return true;
    }

    private sealed class Parser(string text, Func<string, ScenarioExpr?> resolve, Func<string, Exception> error)
    {
        private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!="], ["<=", ">=", "<", ">"], ["+", "-"], ["*", "/", "%"]];
        private int position;

        /// <summary>Open parentheses, unary operators and max/min calls around the current position.</summary>
        private int nesting;

        public ScenarioExpr ParseAll()
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw error("expected a number or an expression, found nothing");
            }

            if (text.Length > ScenarioRanges.ExpressionLength.Max)
            {
                throw error($"an expression may have at most {ScenarioRanges.ExpressionLength.Max} characters, this one has {text.Length}");
            }

            var expr = ParseLevel(0);
            SkipSpace();
            if (position < text.Length)
            {
                throw error($"expected a number or an expression, found '{text}' (unexpected '{text[position..]}')");
            }

            if (expr.Depth > ScenarioRanges.ExpressionDepth.Max)
            {
                throw error($"the expression nests {expr.Depth} levels deep, at most {ScenarioRanges.ExpressionDepth.Max} (split it with `set`)");
            }

            return expr;
        }

        /// <summary>A parenthesis, unary operator or call one level deeper; refused past the depth bound before the parser recurses.</summary>
        private void Enter()
        {
            if (++nesting > ScenarioRanges.ExpressionDepth.Max)
            {
                throw error($"the expression nests more than {ScenarioRanges.ExpressionDepth.Max} levels deep");
            }
        }

        /// <summary>An operator on constants is evaluated now, so an overflow is a load error with its line.</summary>
        private ScenarioExpr Checked(ScenarioExpr expr)
        {
            if (expr.Depth > ScenarioRanges.ExpressionDepth.Max)
            {
                throw error($"the expression nests more than {ScenarioRanges.ExpressionDepth.Max} levels deep (split it with `set`)");
            }

            if (expr.IsConstant)
            {
                try
                {
                    expr.Eval(NoEnvironment.Instance);
                }
                catch (OverflowException e)
                {
                    throw error(e.Message);
                }
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
                left = Checked(new Binary(op, left, ParseLevel(level + 1)));
            }
        }

        private ScenarioExpr ParseUnary()
        {
            SkipSpace();
            if (position < text.Length && text[position] is '-' or '!')
            {
                var op = text[position++].ToString();

                // -9223372036854775808 is a literal, although 9223372036854775808 alone does not fit.
                if (op == "-" && position < text.Length && char.IsDigit(text[position]))
                {
                    var start = position;
                    while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
                    {
                        position++;
                    }

                    var digits = "-" + text[start..position];
                    return TryParseInteger(digits, out var negative) ? new Literal(negative) : throw error($"expected a number, found '{digits}'");
                }

                Enter();
                var operand = ParseUnary();
                nesting--;
                return op == "-" && operand is Literal { Value: not long.MinValue } literal ? new Literal(-literal.Value) : Checked(new Unary(op, operand));
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
                Enter();
                var inner = ParseLevel(0);
                Expect(')');
                nesting--;
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
                    Enter();
                    var a = ParseLevel(0);
                    Expect(',');
                    var b = ParseLevel(0);
                    Expect(')');
                    nesting--;
                    return Checked(new Binary(name, a, b));
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

    /// <summary>Evaluates constant expressions at load: they read nothing.</summary>
    private sealed class NoEnvironment : IExprEnvironment
    {
        public static readonly NoEnvironment Instance = new();

        public long Self => throw new InvalidOperationException("a constant expression read self");

        public long Parameter(string name) => throw new InvalidOperationException($"a constant expression read parameter {name}");

        public long Variable(string name) => throw new InvalidOperationException($"a constant expression read variable {name}");
    }
}
