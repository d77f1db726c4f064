using H2Sim.Core.Input;

namespace H2Sim.KernelActors.Config;

/// <summary>What the review kernel does when a VM's num_cpus reaches 0 (docs/designs.md, on-empty).</summary>
public enum OnEmptyPolicy
{
    /// <summary>[M]'s rule: CHILDINT to a live parent, which reads the status and frees the VM with VMOP_FREE.</summary>
    SignalParent,

    /// <summary>The kernel frees the vmblock and its slot itself, leaving an exit record in the parent's vmblock.</summary>
    AutoFree,
}

/// <summary>
/// The review kernel's open choices (--policy NAME=VALUE, carried in KernelParams.policies so every
/// node and every replay builds the same kernel). Other kernels have none: a run that names a
/// policy for them is refused at the command line.
/// </summary>
public sealed record KernelPolicies(bool RefuseCreate = true, OnEmptyPolicy OnEmpty = OnEmptyPolicy.SignalParent)
{
    public const string RefuseCreateName = "refuse-create";
    public const string OnEmptyName = "on-empty";

    public static readonly KernelPolicies Default = new();

    /// <summary>Each policy with its values, the default first.</summary>
    public static readonly IReadOnlyList<(string Name, string[] Values)> All =
    [
        (RefuseCreateName, ["on", "off"]),
        (OnEmptyName, ["signal-parent", "auto-free"]),
    ];

    /// <summary>The policies of a run from NAME=VALUE pairs; unknown names or values throw InputException.</summary>
    public static KernelPolicies Parse(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var result = Default;
        foreach (var (name, value) in pairs)
        {
            var policy = All.FirstOrDefault(p => p.Name == name);
            if (policy.Name is null)
            {
                throw new InputException($"unknown policy '{name}' (valid: {string.Join(", ", All.Select(p => p.Name))})");
            }

            if (!policy.Values.Contains(value))
            {
                throw new InputException($"policy {name}: unknown value '{value}' (valid: {string.Join(", ", policy.Values)})");
            }

            result = name == RefuseCreateName
                ? result with { RefuseCreate = value == "on" }
                : result with { OnEmpty = value == "auto-free" ? OnEmptyPolicy.AutoFree : OnEmptyPolicy.SignalParent };
        }

        return result;
    }

    /// <summary>The policies written as `NAME=VALUE` texts (--policy, a compare design's list); a text that is not a pair is an input error.</summary>
    public static KernelPolicies ParseTexts(IEnumerable<string> texts)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var text in texts)
        {
            var parts = text.Split('=', 2);
            if (parts.Length != 2 || parts[0].Trim().Length == 0)
            {
                throw new InputException($"expected NAME=VALUE, got '{text}'");
            }

            pairs.Add(new(parts[0].Trim(), parts[1].Trim()));
        }

        return Parse(pairs);
    }

    /// <summary>The NAME=VALUE pairs that differ from the defaults, in a fixed order (the spec, labels and reproduce lines).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs()
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (!RefuseCreate)
        {
            pairs.Add(new(RefuseCreateName, "off"));
        }

        if (OnEmpty == OnEmptyPolicy.AutoFree)
        {
            pairs.Add(new(OnEmptyName, "auto-free"));
        }

        return pairs;
    }
}
