namespace H2Sim.KernelActors.Data;

/// <summary>Scheduler status of a context, with the kernel's numeric values (h2-domain.md §2, context.h).</summary>
public enum ContextStatus : byte
{
    /// <summary>H2K_STATUS_DEAD: a free slot, on the vmblock's free list.</summary>
    Dead = 0,

    /// <summary>H2K_STATUS_RUNNING: in runlist[hthread], including "in the kernel spinning on the BKL".</summary>
    Running = 1,

    /// <summary>H2K_STATUS_READY: in a ready ring.</summary>
    Ready = 2,

    /// <summary>H2K_STATUS_BLOCKED: in a futex bucket (classic or PI).</summary>
    Blocked = 3,

    /// <summary>H2K_STATUS_VMWAIT: in no list; its waiting_cpus bit is set.</summary>
    VmWait = 4,

    /// <summary>H2K_STATUS_INTBLOCKED: popup handler slot or the vmblock's intpool ring.</summary>
    IntBlocked = 5,
}
