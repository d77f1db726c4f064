using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using H2Sim.Core.Input;

namespace H2Sim.KernelActors.Config;

/// <summary>
/// Cycles charged for each kernel path, guest operation and message latency. The defaults are
/// hocon/costs.conf, embedded in this assembly (the one source: no default is repeated in code);
/// a scenario's `costs:` block and `--cost NAME=CYCLES` override them by the same names. A kernel
/// critical section holds the BKL for the sum of the costs of the functions it ran.
/// </summary>
public sealed partial class CostModel
{
    private const string ResourceName = "H2Sim.costs.conf";
    private static readonly PropertyInfo[] CostProperties = typeof(CostModel).GetProperties()
        .Where(p => p.PropertyType == typeof(ulong) && p.Name.EndsWith("Cycles", StringComparison.Ordinal)).ToArray();

    private CostModel()
    {
    }

    // Kernel entry/exit and the BKL.
    public ulong TrapEntryCycles { get; private init; }
    public ulong BklHandoverCycles { get; private init; }
    public ulong InterruptEntryCycles { get; private init; }

    // Scheduler.
    public ulong DoschedCycles { get; private init; }
    public ulong SwitchCycles { get; private init; }
    public ulong CheckSanityCycles { get; private init; }
    public ulong ReschedCycles { get; private init; }
    public ulong YieldCycles { get; private init; }

    // Loops: an iteration that does no work for its slot or ring entry.
    public ulong SlotScanCycles { get; private init; }
    public ulong FutexScanCycles { get; private init; }

    // Blocking primitives.
    public ulong FutexWaitCycles { get; private init; }
    public ulong FutexWakeCycles { get; private init; }
    public ulong FutexWakePerWaiterCycles { get; private init; }
    public ulong LockPiCycles { get; private init; }
    public ulong UnlockPiCycles { get; private init; }
    public ulong PopupWaitCycles { get; private init; }
    public ulong PopupIntCycles { get; private init; }
    public ulong IntpoolWaitCycles { get; private init; }
    public ulong VmWaitCycles { get; private init; }
    public ulong TimerOpCycles { get; private init; }

    // Threads and VMs.
    public ulong ThreadCreateCycles { get; private init; }
    public ulong ThreadStopCycles { get; private init; }
    public ulong FreeContextCycles { get; private init; }
    public ulong ReapOneCycles { get; private init; }
    public ulong VmStopCycles { get; private init; }
    public ulong VmOpCycles { get; private init; }
    public ulong KillThreadCycles { get; private init; }
    public ulong ExitRecordCycles { get; private init; }
    public ulong CpuintPostCycles { get; private init; }
    public ulong VmIntDeliverCycles { get; private init; }
    public ulong VmDoWorkCycles { get; private init; }
    public ulong VmIpiDoCycles { get; private init; }
    public ulong ConfigVmblockCycles { get; private init; }
    public ulong ConfigVmblockPerContextCycles { get; private init; }
    public ulong SimpleTrapCycles { get; private init; }

    // Messages.
    public ulong IpiLatencyCycles { get; private init; }
    public ulong InterconnectLatencyCycles { get; private init; }

    // Guest operations.
    public ulong GuestAtomicCycles { get; private init; }
    public ulong GuestPrintCycles { get; private init; }
    public ulong GuestCallCycles { get; private init; }

    /// <summary>Every cost's name as hocon/costs.conf, `--cost` and `costs:` spell it (kebab case, in cycles).</summary>
    public static IReadOnlyList<string> Names { get; } = CostProperties.Select(p => NameOf(p)).ToArray();

    /// <summary>The defaults: hocon/costs.conf as built into h2sim (initialised after <see cref="Names"/>, which it needs).</summary>
    public static CostModel Defaults { get; } = FromText(EmbeddedText(), "hocon/costs.conf");

    /// <summary>This model with some costs replaced; an unknown name is an input error listing the valid ones.</summary>
    public CostModel With(IReadOnlyDictionary<string, ulong> overrides)
    {
        if (overrides.Count == 0)
        {
            return this;
        }

        var values = ToDictionary();
        foreach (var (name, cycles) in overrides)
        {
            if (!values.ContainsKey(name))
            {
                throw new InputException($"unknown cost '{name}' (valid: {string.Join(", ", Names)})");
            }

            values[name] = cycles;
        }

        return FromValues(values, "overrides");
    }

    /// <summary>Every cost by name, in the order hocon/costs.conf lists the model's fields.</summary>
    public Dictionary<string, ulong> ToDictionary() =>
        CostProperties.ToDictionary(p => NameOf(p), p => (ulong)p.GetValue(this)!, StringComparer.Ordinal);

    /// <summary>
    /// Reads the `h2sim.costs { name = cycles }` section of a costs file: comments start with #,
    /// every name must be known and every cost present, values are whole numbers of cycles.
    /// </summary>
    public static CostModel FromText(string text, string source)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var inSection = false;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = StripComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (!inSection)
            {
                inSection = line == "h2sim.costs {" ? true : throw new InputException($"{source}:{lineNumber}: expected `h2sim.costs {{`");
                continue;
            }

            if (line == "}")
            {
                return FromValues(values, source);
            }

            var match = Entry().Match(line);
            if (!match.Success || !ulong.TryParse(match.Groups[2].Value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var cycles))
            {
                throw new InputException($"{source}:{lineNumber}: expected `name = cycles`, found '{line}'");
            }

            values[match.Groups[1].Value] = cycles;
        }

        throw new InputException($"{source}: the `h2sim.costs` section is not closed");
    }

    private static CostModel FromValues(Dictionary<string, ulong> values, string source)
    {
        var model = new CostModel();
        foreach (var name in values.Keys.Where(n => !Names.Contains(n)))
        {
            throw new InputException($"{source}: unknown cost '{name}' (valid: {string.Join(", ", Names)})");
        }

        foreach (var property in CostProperties)
        {
            var name = NameOf(property);
            property.SetValue(model, values.TryGetValue(name, out var cycles) ? cycles : throw new InputException($"{source}: no value for cost '{name}'"));
        }

        return model;
    }

    private static string EmbeddedText()
    {
        using var stream = typeof(CostModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the cost model resource {ResourceName} is missing from {typeof(CostModel).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    /// <summary>TrapEntryCycles → trap-entry.</summary>
    private static string NameOf(PropertyInfo property)
    {
        var name = property.Name[..^"Cycles".Length];
        return string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }

    [GeneratedRegex(@"^([a-z][a-z0-9-]*)\s*=\s*([0-9][0-9_]*)$")]
    private static partial Regex Entry();
}
