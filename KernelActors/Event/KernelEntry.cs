namespace H2Sim.KernelActors;

/// <summary>How an hthread enters the kernel.</summary>
public enum EntryKind
{
    /// <summary>trap0: RTOS-style services (h2-domain.md §10).</summary>
    Trap0,

    /// <summary>trap1: VM services.</summary>
    Trap1,

    /// <summary>A hardware interrupt taken on return to the guest or while idle.</summary>
    Interrupt,

    /// <summary>
    /// The second part of a kernel path that an earlier section left for the same hthread
    /// (<see cref="Kernel.FollowUp"/>); <see cref="KernelEntry.Number"/> is an <see cref="InternalPath"/>.
    /// </summary>
    Internal,
}

/// <summary>Kernel paths an hthread runs as the continuation of an earlier section.</summary>
public enum InternalPath
{
    /// <summary>[M] H2K_vm_ipi_do step 3: BKL, H2K_vm_do_work_withlock on the context running here, unlock.</summary>
    VmIpiWork = 1,

    /// <summary>H2K_interrupted_waitmode after a handler returned on an idle hthread: k0lock, H2K_switch(NULL, NULL).</summary>
    IdleSleep = 2,
}

/// <summary>A kernel entry: trap number and arguments (r0..r5), or an interrupt number.</summary>
public readonly record struct KernelEntry(EntryKind Kind, int Number, long A0 = 0, long A1 = 0, long A2 = 0, long A3 = 0, long A4 = 0, long A5 = 0, string? Text = null)
{
    public static KernelEntry Internal(InternalPath path) => new(EntryKind.Internal, (int)path);

    public override string ToString() => Kind switch
    {
        EntryKind.Interrupt => $"interrupt {Number}",
        EntryKind.Internal => Name,
        _ => $"{(Kind == EntryKind.Trap0 ? "trap0" : "trap1")} {Number}({A0}, {A1}, {A2})",
    };

    /// <summary>The kernel function this entry reaches (h2-domain.md §10), for timelines and reports.</summary>
    public string Name => Kind switch
    {
        EntryKind.Internal => (InternalPath)Number switch
        {
            InternalPath.VmIpiWork => "H2K_vm_ipi_do: H2K_vm_do_work_withlock",
            _ => "H2K_interrupted_waitmode: H2K_switch(NULL, NULL)",
        },
        EntryKind.Interrupt => Number switch
        {
            0 => "H2K_vm_ipi_do",
            1 => "H2K_resched",
            3 => "H2K_timer_int",
            6 => "H2K_resched_cluster",
            _ => $"interrupt {Number}",
        },
        EntryKind.Trap0 => Number switch
        {
            0 => "angel",
            1 => "H2K_thread_id",
            2 => "H2K_futex_wait",
            3 => "H2K_futex_resume",
            4 => "H2K_thread_create",
            5 => "H2K_thread_stop",
            7 => "H2K_vm_stop",
            9 => "H2K_prio_set",
            11 => "H2K_popup_wait",
            12 => "H2K_sched_yield",
            14 => "H2K_intpool_configure",
            15 => "H2K_intpool_wait",
            20 => "H2K_futex_lock_pi",
            21 => "H2K_futex_unlock_pi",
            22 => "H2K_timer_trap",
            28 => $"H2K_vmop({A0})",
            30 => "H2K_trap_config",
            _ => $"trap0 {Number}",
        },
        _ => Number switch
        {
            1 => "vmtrap return",
            2 => "vmtrap setvec",
            3 => "vmtrap setie",
            5 => "vmtrap intop",
            16 => "H2K_vmtrap_wait",
            17 => "vmtrap yield",
            18 => "H2K_vmtrap_start",
            19 => "vmtrap stop",
            _ => $"trap1 {Number}",
        },
    };
}
