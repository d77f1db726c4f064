using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// H2K_thread_create_no_squash (kernel/thread/create, h2-domain.md §3.3; identical in [B], [P],
/// [M]): reached from trap0 4 (which ignores its vmblock argument), vmtrap 18 and VMOP_BOOT.
/// Neither [P] nor [M] refuses a new thread in a dying VM (§12 Q5); [V] does with refuse-create=on.
/// BKL held for the locked part.
/// Returns the new raw id, or -1.
/// </summary>
public sealed partial class Kernel
{
    internal long ThreadCreateNoSquash(long pc, long sp, long arg, int prio, VmBlock vm, ThreadContext? creator)
    {
        Charge(Costs.ThreadCreateCycles);
        AssertNotFreed(vm, "thread_create");

        // Argument checks (done before the lock in C).
        if (prio > KernelConstants.MaxPrios - 1 || prio < vm.BestPrio || (sp & 7) != 0 || (pc & 3) != 0)
        {
            return -1;
        }

        if (Variant == Config.KernelVariant.Review && Policies.RefuseCreate && vm.Dying)
        {
            // [V] refuse-create=on: no new vCPU in a VM being killed (checked under the BKL, as the free list is).
            return -1;
        }

        var context = vm.PopFree();
        if (context is null)
        {
            return -1;
        }

        // The first vCPU gets an identity translation; later ones inherit the creator's ASID and gevb.
        var asid = vm.NumCpus == 0 || creator is null ? vm.Vmidx % KernelConstants.MaxAsids : creator.Asid;
        if (!AsidTableInc(asid))
        {
            vm.PushFree(context);
            return -1;
        }

        context.Prio = prio;
        context.BasePrio = prio;
        context.EntryPc = pc;
        context.EntryArg = arg;
        context.R00 = arg;
        context.VmStatus = VmStatusBits.None;
        context.Gevb = vm.NumCpus == 0 || creator is null ? 0 : creator.Gevb;
        context.Asid = asid;
        vm.NumCpus++;
        ReadyAppend(context);
        CheckSanity();
        return context.Id.Raw;
    }

    /// <summary>H2K_asid_table_inc (separate asid spinlock): find or take an entry; 12-bit counts.</summary>
    private bool AsidTableInc(int asid)
    {
        if (asid < 0 || asid >= KernelConstants.MaxAsids || AsidCounts[asid] >= 0xFFF)
        {
            return false;
        }

        AsidCounts[asid]++;
        return true;
    }

    /// <summary>H2K_asid_table_dec: atomic decrement; entries become evictable at 0, never freed.</summary>
    private void AsidTableDec(int asid)
    {
        if (asid < 0)
        {
            return;
        }

        AsidCounts[asid]--;
        if (AsidCounts[asid] < 0)
        {
            throw new KernelInvariantException("asid-count", $"ASID {asid} reference count went negative");
        }
    }
}
