using System.CommandLine;
using H2Sim.Core.Input;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// `--policy NAME=VALUE` (repeatable): one of the review kernel's open choices (docs/designs.md):
/// refuse-create=on|off, on-empty=signal-parent|auto-free. Carried in the run spec
/// (KernelParams.policies), so every node and every replay builds the same kernel. An unknown name
/// or value, or a policy for a run without the review kernel, is an input error.
/// </summary>
public static class PolicyOptions
{
    public static Option<string[]> Create() => new("--policy")
    {
        Description = "A review-kernel policy, NAME=VALUE (repeatable): "
            + string.Join(", ", KernelPolicies.All.Select(p => $"{p.Name}={string.Join("|", p.Values)}")) + " (defaults first)",
        AllowMultipleArgumentsPerToken = false,
        Recursive = true,
    };

    /// <summary>The run's --policy pairs, parsed once and checked against the kernels it runs on.</summary>
    public static KernelPolicies Of(ParseResult parse, IEnumerable<KernelVariant> kernels) =>
        Parse(parse.GetValue(GlobalOptions.Policies), kernels);

    public static KernelPolicies Parse(IEnumerable<string>? texts, IEnumerable<KernelVariant> kernels)
    {
        var given = texts?.ToList() ?? [];
        KernelPolicies policies;
        try
        {
            policies = KernelPolicies.ParseTexts(given);
        }
        catch (InputException e)
        {
            throw new UsageException($"--policy: {e.Message}");
        }

        if (given.Count > 0 && !kernels.Contains(KernelVariant.Review))
        {
            throw new UsageException("--policy applies to the review kernel only: add --kernel review (or all)");
        }

        return policies;
    }

    /// <summary>The policies a run on <paramref name="kernel"/> gets: the given ones on review, none (null) elsewhere.</summary>
    public static KernelPolicies? For(KernelVariant kernel, KernelPolicies policies) =>
        kernel == KernelVariant.Review ? policies : null;
}
