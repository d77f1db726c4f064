using H2Sim.KernelActors.Data;

namespace H2Sim.Tests.Kernel.Support;

/// <summary>
/// The three VMWORK gate cases of the upstream unit test kernel/futex/futex/test/tests/vmwork
/// (h2-domain.md §8 R2, §11.8): the vmstatus bits the blocking thread has when it enters the trap.
/// </summary>
public enum VmworkGateCase
{
    /// <summary>VMWORK|IE: the gate fires in every kernel.</summary>
    A,

    /// <summary>VMWORK alone (IE clear, as for every pthread).</summary>
    B,

    /// <summary>VMWORK|KILL (IE clear): a thread marked for death.</summary>
    C,
}

public static class VmworkGateCases
{
    public static VmStatusBits Bits(this VmworkGateCase gateCase) => gateCase switch
    {
        VmworkGateCase.A => VmStatusBits.VmWork | VmStatusBits.Ie,
        VmworkGateCase.B => VmStatusBits.VmWork,
        _ => VmStatusBits.VmWork | VmStatusBits.Kill,
    };
}
