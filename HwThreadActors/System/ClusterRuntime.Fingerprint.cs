using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Pthread;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.System;

/// <summary>
/// The cluster's state as one hash, for exhaustive exploration's "this state was seen, skip it"
/// (docs/exploration.md). It covers what decides the rest of the run: the time, the choice ordinal,
/// each hthread (mode, BKL, context, pending kernel entry), the BKL's holder and spinners, pending
/// interrupts and their steering, the ready and futex rings in order, every vmblock and context,
/// each guest's call stack and spin, guest memory and the pthread library's host-side lists, and
/// what was printed. Messages in flight are hashed by the caller (the engine holds them). A part
/// it cannot see into (a C# iterator program's frame) hashes by identity, so such states never merge.
/// </summary>
public sealed partial class ClusterRuntime
{
    public void Fingerprint(ref StateHasher h)
    {
        h.Add((long)NowCycles);
        h.Add((long)Kernel.Choices.Ordinal);
        HashHThreads(ref h);
        HashInterrupts(ref h);
        HashRings(ref h, Kernel.Ready);
        HashRings(ref h, Kernel.FutexHash);
        HashWaiters(ref h);
        foreach (var vm in Kernel.VmBlocks)
        {
            if (vm is not null)
            {
                HashVm(ref h, vm);
            }
        }

        for (var v = 0; v < pendingWork.Length; v++)
        {
            foreach (var work in pendingWork[v])
            {
                h.Add(v);
                h.Add(work.GetHashCode());
            }
        }

        h.Add(outcome.Printed.Count);
        foreach (var line in outcome.Printed)
        {
            h.Add(line);
        }
    }

    /// <summary>Each hthread (mode, BKL, runlist, what it does next), then the BKL's holder and spinners.</summary>
    private void HashHThreads(ref StateHasher h)
    {
        for (var t = 0; t < slots.Length; t++)
        {
            var state = Kernel.HThreadStates[t];
            h.Add((long)state.Mode);
            h.Add(state.HoldsBkl ? 1 : 0);
            h.Add(Kernel.Runlist[t]?.Id.Raw ?? uint.MaxValue);
            h.Add(Kernel.RunlistPrios[t]);
            h.Add(slots[t].PendingEntry.GetHashCode());
            h.Add(slots[t].FollowUp?.GetHashCode() ?? 0);
            h.Add(slots[t].AwaitingRemote ? 1 : 0);
        }

        h.Add(Kernel.Bkl.Holder ?? uint.MaxValue);
        foreach (var spinner in Kernel.Bkl.Spinners)
        {
            h.Add(spinner);
        }
    }

    /// <summary>The scheduler's masks, the pending interrupts and their steering.</summary>
    private void HashInterrupts(ref StateHasher h)
    {
        h.Add((long)Kernel.WaitMask);
        h.Add((long)Kernel.PrioMask);
        h.Add(Kernel.LowPrioHThread);
        h.Add((long)Kernel.MaskForIpi);
        for (var intno = Kernel.PendingInterrupts.NextAtOrAbove(0); intno >= 0; intno = Kernel.PendingInterrupts.NextAtOrAbove(intno + 1))
        {
            h.Add(intno);
        }

        for (var intno = 0; intno < Kernel.IAssign.Length; intno++)
        {
            if (Kernel.IAssign[intno] != 0)
            {
                h.AddUnordered(intno, (long)Kernel.IAssign[intno]);
            }
        }
    }

    /// <summary>Timeouts (relative to now), popup and intpool handlers.</summary>
    private void HashWaiters(ref StateHasher h)
    {
        foreach (var (deadline, id) in Kernel.Timeouts)
        {
            h.Add((long)(deadline - Math.Min(deadline, NowCycles)));
            h.Add(id);
        }

        foreach (var (intno, context) in Kernel.PopupHandlers)
        {
            h.AddUnordered(intno, context.Id.Raw, 1);
        }

        foreach (var (intno, vm) in Kernel.IntpoolHandlers)
        {
            h.AddUnordered(intno, vm.Vmidx, 2);
        }
    }

    /// <summary>Whether an in-flight guest-resume still counts (its generation is the hthread's current one).</summary>
    public bool ResumeIsCurrent(int hthread, long generation) => hthread < slots.Length && slots[hthread].Generation == generation;

    private static void HashRings(ref StateHasher h, ThreadContext?[] heads)
    {
        for (var i = 0; i < heads.Length; i++)
        {
            if (heads[i] is not { } head)
            {
                continue;
            }

            h.Add(i);
            var context = head;
            do
            {
                h.Add(context.Id.Raw);
                context = context.Next!;
            }
            while (context != head && context is not null);
        }
    }

    private void HashVm(ref StateHasher h, VmBlock vm)
    {
        h.Add(vm.Vmidx);
        h.Add(vm.Status);
        h.Add(vm.NumCpus);
        h.Add(vm.Freed ? 1 : 0);
        h.Add(vm.Exiting ? 1 : 0);
        h.Add((long)vm.WaitingCpus);
        h.Add(vm.BestPrio);
        h.Add(vm.TrapMask);
        h.Add(vm.FreeThreads?.Id.Raw ?? uint.MaxValue);
        h.Add(vm.Intpool?.Id.Raw ?? uint.MaxValue);
        foreach (var pending in vm.IntpoolPending)
        {
            h.Add(pending);
        }

        foreach (var context in vm.Contexts)
        {
            HashContext(ref h, context);
        }

        foreach (var (name, address) in vm.Symbols)
        {
            h.AddUnordered((long)StateHasher.Fnv(name), address, 3);
        }

        h.Add(vm.NextAddress);
        for (var address = VmBlock.MemoryBase(vm.Vmidx); address < vm.NextAddress; address += 8)
        {
            h.Add(vm.Read(address));
        }

        PthreadProcess.Fingerprint(vm, ref h);
    }

    private void HashContext(ref StateHasher h, ThreadContext c)
    {
        h.Add((long)c.Status);
        h.Add((long)c.VmStatus);
        h.Add(c.HThread);
        h.Add(c.Prio);
        h.Add(c.BasePrio);
        h.Add(c.Tid);
        h.Add(c.FutexPtr);
        h.Add(c.R00);
        h.Add(c.CpuintPending);
        h.Add(c.CpuintEnabled);
        h.Add(c.Gevb);
        h.Add(c.GuestEvent);
        h.Add(c.EntryPc);
        h.Add(c.EntryArg);
        h.Add(c.Asid);
        h.Add(c.Next?.Id.Raw ?? uint.MaxValue);
        if (c.Guest is GuestExecution exec)
        {
            exec.Fingerprint(ref h, NowCycles);
        }
    }
}
