namespace H2Sim.KernelActors.Data;

/// <summary>What an hthread is doing, as far as interrupts and the BKL are concerned (h2-domain.md §4.2).</summary>
public enum HThreadMode
{
    /// <summary>In WAIT with nothing to run; takes interrupts.</summary>
    Idle,

    /// <summary>Running guest code of runlist[h]; takes interrupts.</summary>
    Guest,

    /// <summary>In the kernel spinning for the BKL; takes no interrupts.</summary>
    Spinning,

    /// <summary>Running kernel code; takes no interrupts.</summary>
    InKernel,
}

/// <summary>Per-hthread hardware state.</summary>
public sealed class HThreadState(int index)
{
    public int Index { get; } = index;

    public HThreadMode Mode { get; set; } = HThreadMode.Idle;

    /// <summary>True while this hthread holds the BKL.</summary>
    public bool HoldsBkl { get; set; }

    public override string ToString() => $"hthread {Index} {Mode}";
}
