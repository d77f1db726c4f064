using System.CommandLine;
using System.CommandLine.Invocation;

namespace H2Sim.Cli;

/// <summary>
/// A parse error as one line, keeping System.CommandLine's own "did you mean" suggestions
/// (`--kernal` → `--kernel`, `suit` → `suite`): its error action writes them, to a buffer here,
/// and the lines are folded into one.
/// </summary>
public static class ParseErrors
{
    private const string TypoMarker = "was not matched. Did you mean one of the following?";

    public static string OneLine(ParseResult parse)
    {
        var suggestion = Suggestions(parse);

        // A stray word is the likeliest mistake and the most useful thing to name: `h2sim foo`
        // would otherwise report only that no command was given.
        var message = parse.UnmatchedTokens.Count > 0
            ? $"unknown command, option or argument '{parse.UnmatchedTokens[0]}'"
            : parse.Errors[0].Message.TrimEnd('.');
        return suggestion is null ? message : $"{message}; did you mean {suggestion}?";
    }

    /// <summary>"'--kernel'" or "'run' or 'suite'" for the first unmatched token, from System.CommandLine's typo corrections.</summary>
    private static string? Suggestions(ParseResult parse)
    {
        if (parse.Action is not ParseErrorAction action)
        {
            return null;
        }

        action.ShowHelp = false;
        action.ShowTypoCorrections = true;
        using var buffer = new StringWriter();
        parse.Invoke(new InvocationConfiguration { Output = buffer, Error = buffer, EnableDefaultExceptionHandler = false });
        var lines = buffer.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var start = Array.FindIndex(lines, l => l.EndsWith(TypoMarker, StringComparison.Ordinal));
        if (start < 0)
        {
            return null;
        }

        var words = lines.Skip(start + 1).TakeWhile(l => l.Length > 0 && !l.EndsWith(TypoMarker, StringComparison.Ordinal)).Select(w => $"'{w}'").ToList();
        return words.Count == 0 ? null : string.Join(" or ", words);
    }
}
