using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace H2Sim.Cli;

/// <summary>
/// Parsers for numeric options, so that a negative, non-numeric or out-of-range value is a parse
/// error with a one-line message naming the option and its range (exit code 2), never a crash.
/// </summary>
public static class CliParsers
{
    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<ulong> WholeNumber(string name, string description, ulong defaultValue, ulong min = 0, ulong max = ulong.MaxValue, bool recursive = false) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseWhole(result, name, min, max),
            Recursive = recursive,
        };

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or null when the option is not given (the default lives elsewhere: a HOCON key).</summary>
    public static Option<ulong?> OptionalWholeNumber(string name, string description, ulong min = 0, ulong max = ulong.MaxValue) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseWhole(result, name, min, max),
        };

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>] that fits 32 bits.</summary>
    public static Option<uint> WholeNumber32(string name, string description, uint defaultValue, uint min = 0, uint max = uint.MaxValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => (uint)ParseWhole(result, name, min, max),
        };

    /// <summary>A fraction in [0, 1].</summary>
    public static Option<double> Fraction(string name, string description, double defaultValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = TokenText(result);
                if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value > 1)
                {
                    result.AddError($"{name} must be a number between 0 and 1, got '{text}'");
                    return 0;
                }

                return value;
            },
        };

    /// <summary>Reads a name into a value of <typeparamref name="T"/>.</summary>
    public delegate bool NameParser<T>(string name, out T value);

    /// <summary>One of a fixed set of names (a kernel, a check mode, a strategy), parsed here into its value.</summary>
    public static Option<T> Named<T>(string name, string description, T defaultValue, NameParser<T> parse, string validNames, bool recursive = false) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = TokenText(result);
                if (!parse(text, out var value))
                {
                    result.AddError($"{name} must be {validNames}, got '{text}'");
                }

                return value;
            },
            Recursive = recursive,
        };

    private static ulong ParseWhole(ArgumentResult result, string name, ulong min, ulong max)
    {
        var text = TokenText(result);
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} must be a whole number, got '{text}'");
            return 0;
        }

        if (value < min || value > max)
        {
            var range = max == ulong.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            result.AddError($"{name} must be {range}, got {value}");
            return 0;
        }

        return value;
    }

    private static string TokenText(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
}
