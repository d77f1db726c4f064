namespace H2Sim.KernelActors.Data;

/// <summary>
/// H2K_id_t: bits [31:26] vmidx, [25:10] cpuidx, [9:0] zero (h2-domain.md §1). The zero low bits
/// are why a PI lock word can use bit 0 as its "contended" flag.
/// </summary>
public readonly record struct ThreadId(uint Raw)
{
    public static readonly ThreadId None = new(0);

    public uint Vmidx => Raw >> 26;

    public uint Cpuidx => (Raw >> 10) & 0xFFFF;

    public static ThreadId Of(uint vmidx, uint cpuidx) => new((vmidx << 26) | ((cpuidx & 0xFFFF) << 10));

    public override string ToString() => $"{Vmidx}:{Cpuidx}";
}
