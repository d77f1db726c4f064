namespace H2Sim.KernelActors.Config;

/// <summary>
/// Cycles charged for each kernel path, guest operation and message latency. Defaults live in
/// hocon/costs.conf (documented there); a run may override any of them. A kernel critical section
/// holds the BKL for the sum of the costs of the functions it ran.
/// </summary>
public sealed record CostModel
{
    // Kernel entry/exit and the BKL.
    public ulong TrapEntry { get; init; } = 20;
    public ulong BklHandover { get; init; } = 12;
    public ulong InterruptEntry { get; init; } = 30;

    // Scheduler.
    public ulong Dosched { get; init; } = 60;
    public ulong Switch { get; init; } = 90;
    public ulong CheckSanity { get; init; } = 30;
    public ulong Resched { get; init; } = 50;
    public ulong Yield { get; init; } = 40;

    // Blocking primitives.
    public ulong FutexWait { get; init; } = 120;
    public ulong FutexWake { get; init; } = 100;
    public ulong FutexWakePerWaiter { get; init; } = 40;
    public ulong LockPi { get; init; } = 150;
    public ulong UnlockPi { get; init; } = 130;
    public ulong PopupWait { get; init; } = 110;
    public ulong IntpoolWait { get; init; } = 110;
    public ulong VmWait { get; init; } = 90;
    public ulong TimerOp { get; init; } = 80;

    // Threads and VMs.
    public ulong ThreadCreate { get; init; } = 350;
    public ulong ThreadStop { get; init; } = 250;
    public ulong FreeContext { get; init; } = 60;
    public ulong ReapOne { get; init; } = 90;
    public ulong VmStop { get; init; } = 200;
    public ulong VmOp { get; init; } = 80;
    public ulong KillThread { get; init; } = 60;
    public ulong CpuintPost { get; init; } = 50;
    public ulong VmIntDeliver { get; init; } = 50;
    public ulong VmDoWork { get; init; } = 40;
    public ulong ConfigVmblock { get; init; } = 2_000;
    public ulong SimpleTrap { get; init; } = 30;

    // Messages.
    public ulong IpiLatency { get; init; } = 40;
    public ulong ChildIntLatency { get; init; } = 30;
    public ulong InterconnectLatency { get; init; } = 2_000;

    // Guest operations.
    public ulong GuestAtomic { get; init; } = 8;
    public ulong GuestPrint { get; init; } = 1_020;
    public ulong GuestCall { get; init; } = 20;

    /// <summary>Applies "name = cycles" overrides (names as in hocon/costs.conf, kebab-case).</summary>
    public CostModel With(IReadOnlyDictionary<string, ulong> overrides)
    {
        var result = this;
        foreach (var (name, value) in overrides)
        {
            var property = typeof(CostModel).GetProperties()
                .FirstOrDefault(p => string.Equals(KebabCase(p.Name), name, StringComparison.Ordinal))
                ?? throw new ArgumentException($"unknown cost '{name}' (valid: {string.Join(", ", Names)})");
            result = result with { };
            property.SetValue(result, value);
        }

        return result;
    }

    public static IEnumerable<string> Names => typeof(CostModel).GetProperties().Where(p => p.PropertyType == typeof(ulong)).Select(p => KebabCase(p.Name));

    private static string KebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
