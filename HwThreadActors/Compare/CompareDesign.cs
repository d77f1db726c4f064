using H2Sim.Core.Input;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.Compare;

/// <summary>
/// One column of `h2sim compare`: a kernel design and, for the review kernel, its policies.
/// Written `KERNEL` or `review:NAME=VALUE[,NAME=VALUE]` (docs/designs.md).
/// </summary>
public sealed record CompareDesign(KernelVariant Kernel, KernelPolicies? Policies)
{
    /// <summary>The five columns compared by default: the three upstream designs and review with each on-empty setting.</summary>
    public static IReadOnlyList<CompareDesign> Defaults { get; } =
        new[] { "base", "pr39", "master", "review", "review:on-empty=auto-free" }.Select(Parse).ToList();

    /// <summary>How the column is named on the page and in the JSON: the kernel and the policies that differ from its defaults.</summary>
    public string Label => Policies?.Pairs() is { Count: > 0 } pairs ? $"{Kernel.Name()}:{string.Join(",", pairs.Select(p => $"{p.Key}={p.Value}"))}" : Kernel.Name();

    /// <summary>Two designs are the same column when they are written the same (the policies compare by value).</summary>
    public bool Equals(CompareDesign? other) => other is not null && Label == other.Label;

    public override int GetHashCode() => Label.GetHashCode(StringComparison.Ordinal);

    /// <summary>A folder name for the column's logs (letters, digits and dashes).</summary>
    public string Slug => new(Label.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());

    /// <summary>Parses `KERNEL[:NAME=VALUE,…]`; an unknown kernel, policy or value throws InputException.</summary>
    public static CompareDesign Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        if (!KernelVariants.TryParse(name, out var kernel))
        {
            throw new InputException($"design '{text}': unknown kernel '{name}' (valid: {string.Join(", ", KernelVariants.Names)})");
        }

        if (colon < 0)
        {
            return new CompareDesign(kernel, kernel == KernelVariant.Review ? KernelPolicies.Default : null);
        }

        if (kernel != KernelVariant.Review)
        {
            throw new InputException($"design '{text}': policies apply to the review kernel only");
        }

        try
        {
            return new CompareDesign(kernel, KernelPolicies.ParseTexts(text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)));
        }
        catch (InputException e)
        {
            throw new InputException($"design '{text}': {e.Message}");
        }
    }
}
