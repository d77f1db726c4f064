using H2Sim.KernelActors.Data;

namespace H2Sim.KernelActors;

/// <summary>
/// CONFIG_VMBLOCK_INIT with SET_CPUS_INTS (trap0 30, kernel/traps/config, h2-domain.md §3.2):
/// allocate a vmblock, take the first NULL slot in vmblocks[1..63], parent = the caller's id.
/// [V] skips a slot for which the caller's VM still holds an unread exit record, so one parent
/// never has a record and a live child under the same vmidx. Returns the vmidx or -1.
/// </summary>
public sealed partial class Kernel
{
    /// <summary>Every vmblock this kernel ever allocated, freed or not, in allocation order (for the end-of-run conservation check).</summary>
    public List<VmBlock> AllVmBlocks { get; } = new();

    internal long ConfigVmblockInit(ThreadContext? me, int maxCpus, int bestPrio, string name)
    {
        Charge(Costs.ConfigVmblockCycles);
        if (maxCpus is < 1 or > 65536)
        {
            return -1;
        }

        for (var slot = 1; slot < KernelConstants.MaxVms; slot++)
        {
            if (VmBlocks[slot] is null && !HoldsExitRecord(me, slot))
            {
                // Each context is cleared and pushed on the free list.
                Charge(Costs.ConfigVmblockPerContextCycles * (ulong)maxCpus);
                var vm = new VmBlock(slot, maxCpus, me?.Id ?? ThreadId.None, name)
                {
                    BestPrio = bestPrio,
                    NextAddress = VmBlock.MemoryBase(slot),
                };
                vm.Log = sectionLog;
                VmBlocks[slot] = vm;
                AllVmBlocks.Add(vm);
                return slot;
            }
        }

        return -1;
    }

    /// <summary>Boot VM setup (kernel/init/setup): one context taken by hand, num_cpus = 1, bestprio.</summary>
    public ThreadContext SetupBootVm(string name, long entryPc, int bestPrio)
    {
        var slot = ConfigVmblockInit(null, 1, bestPrio, name);
        var vm = VmBlocks[slot]!;
        var boot = vm.PopFree()!;
        boot.Prio = bestPrio;
        boot.BasePrio = bestPrio;
        boot.EntryPc = entryPc;
        boot.Asid = vm.Vmidx;
        AsidCounts[boot.Asid]++;
        vm.NumCpus = 1;
        ReadyAppend(boot);
        return boot;
    }
}
