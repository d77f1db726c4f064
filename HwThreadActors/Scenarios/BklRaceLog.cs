using System.Globalization;
using H2Sim.HwThreadActors.Pthread;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors;
using H2Sim.KernelActors.Data;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>One BKL acquisition as a sweep sees it: who (thread label), for what (kernel entry), and who was spinning.</summary>
public sealed record BklEvent(ulong Cycles, ulong SpunCycles, int Vmidx, uint ContextRaw, string Thread, string Entry, bool Blocking, bool Teardown, IReadOnlyList<(uint ContextRaw, string Thread, string Entry)> Spinners, IReadOnlyList<(uint ContextRaw, string Thread)> Racers);

/// <summary>
/// The BKL race that decided a run: the first VM-teardown trap (trap0 7 VM_STOP on [P], VMOP_KILL_VM
/// on [M]) against the nearest blocking trap of another thread of that VM, or a peer that was
/// still running in the guest when the teardown took the BKL.
/// </summary>
public sealed record BklRace(string Winner, string WinnerEntry, string Loser, string LoserEntry, long GapCycles, ulong LoserSpunCycles)
{
    public override string ToString()
    {
        if (LoserEntry.Length == 0)
        {
            return $"{Winner}:{WinnerEntry} first; {Loser} still in the guest";
        }

        var gap = GapCycles.ToString("+#;-#;0", CultureInfo.InvariantCulture);
        return $"{Winner}:{WinnerEntry} before {Loser}:{LoserEntry} ({gap} cycles{(LoserSpunCycles > 0 ? $", {Loser} spun {LoserSpunCycles} on the BKL" : string.Empty)})";
    }
}

/// <summary>
/// Records every BKL acquisition of a run (through ClusterRuntime's observer) with thread names
/// from the scenario (the start routine a pthread runs), and finds the race that decided it.
/// </summary>
public sealed class BklRaceLog(global::H2Sim.HwThreadActors.System.SystemDefinition definition)
{
    /// <summary>How far from the teardown a peer's blocking trap still counts as its race (cycles).</summary>
    public const long RaceWindowCycles = 20_000;

    public List<BklEvent> Events { get; } = new();

    public void Observe(BklAcquisition acquisition)
    {
        var me = acquisition.Context;
        if (me is null || me.VmBlock.Vmidx == KernelConstants.BootVmIndex)
        {
            return;
        }

        var racers = me.VmBlock.Contexts
            .Where(c => c != me && c.Status is ContextStatus.Running or ContextStatus.Ready)
            .Select(c => (c.Id.Raw, Label(c)))
            .ToList();
        Events.Add(new BklEvent(
            acquisition.Cycles,
            acquisition.SpunCycles,
            me.VmBlock.Vmidx,
            me.Id.Raw,
            Label(me),
            EntryName(acquisition.Entry),
            IsBlocking(acquisition.Entry),
            IsTeardown(acquisition.Entry),
            acquisition.Spinners.Where(s => s.Context is not null).Select(s => (s.Context!.Id.Raw, Label(s.Context!), EntryName(s.Entry))).ToList(),
            racers));
    }

    /// <summary>
    /// The decisive race, or null when no thread started a VM teardown (e.g. [B]). Peers still
    /// running (or spinning) when the teardown took the BKL are the racers: the one whose blocking
    /// trap came soonest after it, else one that never reached a blocking trap (still in the
    /// guest). With no racer, the peer that blocked last before the teardown won its race.
    /// </summary>
    public BklRace? Decisive()
    {
        var teardown = Events.FirstOrDefault(e => e.Teardown);
        if (teardown is null)
        {
            return null;
        }

        var peers = Events
            .Where(e => e.Vmidx == teardown.Vmidx && e.ContextRaw != teardown.ContextRaw && e.Blocking
                && Math.Abs((long)e.Cycles - (long)teardown.Cycles) <= RaceWindowCycles)
            .ToList();
        var racers = teardown.Racers.Select(r => r.ContextRaw).ToHashSet();
        var after = peers.Where(e => e.Cycles >= teardown.Cycles && racers.Contains(e.ContextRaw)).OrderBy(e => e.Cycles).FirstOrDefault();
        if (after is not null)
        {
            return new BklRace(teardown.Thread, teardown.Entry, after.Thread, after.Entry, (long)after.Cycles - (long)teardown.Cycles, after.SpunCycles);
        }

        if (teardown.Racers.Count > 0)
        {
            return new BklRace(teardown.Thread, teardown.Entry, teardown.Racers[0].Thread, string.Empty, 0, 0);
        }

        var before = peers.Where(e => e.Cycles < teardown.Cycles).OrderByDescending(e => e.Cycles).FirstOrDefault();
        return before is null ? null : new BklRace(before.Thread, before.Entry, teardown.Thread, teardown.Entry, (long)before.Cycles - (long)teardown.Cycles, teardown.SpunCycles);
    }

    private string Label(ThreadContext context) => ThreadLabel(definition, context);

    /// <summary>A context's name from the scenario: the start routine its pthread (or raw thread) runs.</summary>
    public static string ThreadLabel(global::H2Sim.HwThreadActors.System.SystemDefinition definition, ThreadContext context)
    {
        var name = definition.Programs.At(context.EntryPc).Name;
        if (name == PthreadThread.TrampolineName)
        {
            name = definition.Programs.At(context.VmBlock.Read(context.EntryArg + PthreadThread.TcbStartPc)).Name;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[(dot + 1)..];
    }

    private static bool IsBlocking(KernelEntry entry) =>
        (entry.Kind == EntryKind.Trap0 && entry.Number is Trap0.FutexWait or Trap0.FutexLockPi or Trap0.IntWait or Trap0.IntpoolWait)
        || (entry.Kind == EntryKind.Trap1 && entry.Number == Trap1.Wait);

    private static bool IsTeardown(KernelEntry entry) =>
        entry.Kind == EntryKind.Trap0 && (entry.Number == Trap0.VmStop || (entry.Number == Trap0.VmOp && entry.A0 == VmOp.KillVm));

    public static string EntryName(KernelEntry entry) => entry.Kind switch
    {
        EntryKind.Trap0 => entry.Number switch
        {
            Trap0.FutexWait => "futex_wait",
            Trap0.FutexWake => "futex_wake",
            Trap0.ThreadCreate => "thread_create",
            Trap0.ThreadStop => "thread_stop",
            Trap0.VmStop => "vm_stop",
            Trap0.IntWait => "popup_wait",
            Trap0.Yield => "yield",
            Trap0.IntpoolWait => "intpool_wait",
            Trap0.FutexLockPi => "lock_pi",
            Trap0.FutexUnlockPi => "unlock_pi",
            Trap0.VmOp => entry.A0 switch
            {
                VmOp.KillVm => "vmop_kill_vm",
                VmOp.KillThread => "vmop_kill_thread",
                VmOp.Status => "vmop_status",
                VmOp.Free => "vmop_free",
                _ => "vmop",
            },
            _ => $"trap0 {entry.Number}",
        },
        EntryKind.Trap1 => entry.Number == Trap1.Wait ? "vmwait" : $"vmtrap {entry.Number}",
        _ => entry.Number switch
        {
            KernelConstants.ReschedInt => "resched_int",
            KernelConstants.ClusterReschedInt => "cluster_resched_int",
            KernelConstants.VmIpiInt => "vm_ipi",
            _ => $"int {entry.Number}",
        },
    };
}
