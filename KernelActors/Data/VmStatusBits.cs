namespace H2Sim.KernelActors.Data;

/// <summary>vmstatus bits of the atomic status word (h2-domain.md §2, vmdefs.h).</summary>
[Flags]
public enum VmStatusBits : byte
{
    None = 0,

    /// <summary>H2K_VMSTATUS_VMWORK: "reconsider before blocking" (§5.7).</summary>
    VmWork = 0x01,

    /// <summary>H2K_VMSTATUS_KILL: set by kill_thread_locked [M].</summary>
    Kill = 0x02,

    /// <summary>H2K_VMSTATUS_SAVEXT: HVX state is live.</summary>
    SavExt = 0x40,

    /// <summary>H2K_VMSTATUS_IE: guest interrupt-enable mirror; clear for every new thread.</summary>
    Ie = 0x80,
}
