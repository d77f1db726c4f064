using System.Numerics;
using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Hexagon interrupt steering as H2 uses it (kernel/util/hw/hw.h, h2-domain.md §1, §13.2): swi,
/// iassignw, one global pending bit per interrupt (raises coalesce, one hthread takes it), and
/// nothing taken while an hthread is in the kernel. swi sends a message to the hthread the
/// steering points at; the pending bit is set when it arrives, so a lost IPI is a dropped message.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>swi(1 &lt;&lt; intno): raise an interrupt toward the hthread its steering allows.</summary>
    internal void Swi(int intno, bool killDelivery = false)
    {
        var eligible = EligibleMask(intno);
        var target = eligible == 0
            ? Math.Max(CurrentHThread, 0)
            : PreferredTarget(eligible);
        effects.SendInterrupt(Cluster, target, intno, killDelivery);
    }

    /// <summary>iassignw(intno, mask): a 1 bit means that hthread does not take the interrupt.</summary>
    internal void Iassignw(int intno, ulong notTakenMask) => IAssign[intno] = notTakenMask & AllHThreadsMask;

    /// <summary>
    /// The raise reached the interrupt controller: set the pending bit, or coalesce into the one
    /// already pending. Returns false when it coalesced.
    /// </summary>
    public bool InterruptArrived(int intno)
    {
        if (PendingInterrupts.Contains(intno))
        {
            return false;
        }

        PendingInterrupts.Add(intno);
        return true;
    }

    /// <summary>
    /// The lowest pending interrupt hthread <paramref name="hthread"/> may take now, or -1. Only in
    /// guest mode or idle; RESCHED_INT and the timer go to priomask (the low-priority and idle
    /// hthreads, through IMASK), the steered ones by iassignw.
    /// </summary>
    public int TakeableInterrupt(int hthread)
    {
        if (!TakesInterruptsNow(hthread))
        {
            return -1;
        }

        for (var intno = PendingInterrupts.NextAtOrAbove(0); intno >= 0; intno = PendingInterrupts.NextAtOrAbove(intno + 1))
        {
            if ((EligibleMask(intno) & (1UL << hthread)) != 0)
            {
                return intno;
            }
        }

        return -1;
    }

    /// <summary>The hthreads that could take <paramref name="intno"/> at this moment (guest mode or idle, and steered to).</summary>
    public ulong CanTakeNowMask(int intno)
    {
        var mask = 0UL;
        for (var h = 0; h < HThreads; h++)
        {
            if (TakesInterruptsNow(h))
            {
                mask |= 1UL << h;
            }
        }

        return mask & EligibleMask(intno);
    }

    private bool TakesInterruptsNow(int hthread) => HThreadStates[hthread].Mode is HThreadMode.Guest or HThreadMode.Idle;

    /// <summary>The hthread takes the interrupt: its pending bit clears (auto-disable until ciad).</summary>
    public void TakeInterrupt(int intno) => PendingInterrupts.Remove(intno);

    private ulong EligibleMask(int intno)
    {
        var steering = ~IAssign[intno] & AllHThreadsMask;
        return intno is KernelConstants.ReschedInt or KernelConstants.TimerInt or KernelConstants.InterconnectInt
            ? steering & PrioMask
            : steering;
    }

    /// <summary>An idle hthread first (it is waiting), else the lowest-numbered eligible one.</summary>
    private ulong PreferredTargetMask(ulong eligible) => (eligible & WaitMask) != 0 ? eligible & WaitMask : eligible;

    private int PreferredTarget(ulong eligible) => BitOperations.TrailingZeroCount(PreferredTargetMask(eligible));
}
