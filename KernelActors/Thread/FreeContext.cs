using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// Freeing a context (h2-domain.md §3.4): ASID dec, clear (DEAD), push on the free list,
/// num_cpus--. [B]/[M] have these steps inline in thread_stop; [P] calls it
/// H2K_free_context_locked. The caller has already unlinked the context and cancelled its timer.
/// </summary>
public sealed partial class Kernel
{
    internal void FreeContextLocked(VmBlock vm, ThreadContext context)
    {
        AssertBklHeld("H2K_free_context_locked");
        Charge(Costs.FreeContextCycles);
        AssertNotFreed(vm, "free_context");
        if (context.Status == ContextStatus.Dead)
        {
            throw new KernelInvariantException("double-free", $"{context} freed twice");
        }

        if (context.Next is not null || context.Prev is not null || context.Place != ContextPlace.None)
        {
            throw new KernelInvariantException("ring-membership", $"{context} freed while still linked into {context.Place}");
        }

        AsidTableDec(context.Asid);
        ParentContextStopped(context);
        context.Clear();
        vm.PushFree(context);
        vm.NumCpus--;
        if (vm.NumCpus < 0)
        {
            throw new KernelInvariantException("num-cpus", $"{vm} num_cpus went negative");
        }

        effects.Note(Cluster, KernelNote.ThreadStopped, vm, context.Id.Raw, vm.NumCpus);
    }

    /// <summary>H2K_mem_alloc_free of a vmblock: its memory goes; the vmblocks[] slot is not cleared.</summary>
    private void FreeVmBlock(VmBlock vm)
    {
        AssertNotFreed(vm, "vmblock free");
        vm.Freed = true;
        effects.Note(Cluster, KernelNote.VmFreed, vm, vm.Vmidx, vm.Status);
    }
}
