using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios.Interpreter;
using H2Sim.KernelActors.Data;
using static H2Sim.HwThreadActors.Guest.GuestAction;
using static H2Sim.HwThreadActors.Scenarios.Ops.BasicOps;

namespace H2Sim.HwThreadActors.Scenarios.Ops;

/// <summary>Raw traps (one trap each, no library retry; the result is the trap's r0), a device raise, and the supervisor routines of the cross-cluster extension.</summary>
public static class TrapOps
{
    public static GuestAction FutexWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.FutexWait, a.Address(i, "word"), a.Eval(i, "value"))) : AfterTrap(a, i, ref f);

    public static GuestAction FutexWake(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.FutexWake, a.Address(i, "word"), a.Eval(i, "count", 1))) : AfterTrap(a, i, ref f);

    public static GuestAction LockPi(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.FutexLockPi, a.Address(i, "word"))) : AfterTrap(a, i, ref f);

    public static GuestAction UnlockPi(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.FutexUnlockPi, a.Address(i, "word"))) : AfterTrap(a, i, ref f);

    public static GuestAction PopupWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.IntWait, a.Eval(i, "int"))) : AfterTrap(a, i, ref f);

    public static GuestAction IntpoolConfig(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.IntpoolConfig, a.Eval(i, "int"), a.Eval(i, "enable", 1))) : AfterTrap(a, i, ref f);

    public static GuestAction IntpoolWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.IntpoolWait, a.Eval(i, "ack", -1))) : AfterTrap(a, i, ref f);

    public static GuestAction RaiseInterrupt(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        a.Thread.RaiseInterrupt((int)a.Eval(i, "int"), (ulong)Math.Max(0, a.Eval(i, "after")));
        return a.Next(ref f, Spin(a.Thread.System.Costs.GuestAtomicCycles));
    }

    public static GuestAction VmWait(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, VmTrap(Trap1.Wait)) : AfterTrap(a, i, ref f);

    public static GuestAction ThreadCreate(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0
            ? f.Then(1, GuestLib.ThreadCreate(a.Thread.PcOf(i.ProgramName!), a.Eval(i, "arg"), (int)a.Eval(i, "prio", KernelConstants.DefaultPthreadPrio)))
            : AfterTrap(a, i, ref f);

    public static GuestAction ThreadStop(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, Trap0(Trap0Numbers.ThreadStop, a.Eval(i, "status")));

    public static GuestAction VmStop(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.VmStop, a.Eval(i, "status"))) : AfterTrap(a, i, ref f);

    public static GuestAction KillThread(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.KillThread, a.Eval(i, "id"))) : AfterTrap(a, i, ref f);

    public static GuestAction KillVm(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.KillVm, a.Eval(i, "vm"), a.Eval(i, "status"))) : AfterTrap(a, i, ref f);

    public static GuestAction Status(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0
            ? f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.Status, i.Op.Text("what") == "cpus" ? VmOp.StatusCpus : VmOp.StatusStatus, a.Eval(i, "vm")))
            : AfterTrap(a, i, ref f);

    public static GuestAction Free(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, Trap0(Trap0Numbers.VmOp, VmOp.Free, a.Eval(i, "vm"))) : AfterTrap(a, i, ref f);

    public static GuestAction TakeChildInterrupts(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, Supervisor.TakeChildInterrupts());

    public static GuestAction KillChild(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        a.Next(ref f, Supervisor.KillChild(a.Thread.RemoteChildHandle(i.Op.Text("vm")!), a.Eval(i, "status")));

    public static GuestAction WaitChildren(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        var handles = a.Program.Scenario.Vms.Where(v => v.Parent == a.Program.Vm.Name).Select(v => a.Thread.RemoteChildHandle(v.Name)).ToList();
        return a.Next(ref f, Supervisor.WaitForChildren(handles));
    }
}
