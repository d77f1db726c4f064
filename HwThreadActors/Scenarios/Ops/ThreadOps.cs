using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Pthread;
using H2Sim.HwThreadActors.Scenarios.Interpreter;
using static H2Sim.HwThreadActors.Scenarios.Ops.BasicOps;

namespace H2Sim.HwThreadActors.Scenarios.Ops;

/// <summary>pthread_create / join / detach / exit and thread attributes.</summary>
public static class ThreadOps
{
    /// <summary>pthread_create; `detached:` is a shorthand for an attr (named attr.lineN) with PTHREAD_CREATE_DETACHED. L0 the id's address.</summary>
    public static GuestAction Create(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        var t = a.Thread;
        if (f.Pc != 0)
        {
            if (t.Returned == Errno.Ok && f.L0 != 0)
            {
                NameThreadObjects(t, t.Load(f.L0), i.Symbols);
            }

            return AfterReturn(a, i, ref f);
        }

        f.L0 = i.Op.Text("id") is { } idVar ? a.GlobalAddress(idVar) : 0;
        var attr = i.Op.Args.ContainsKey("attr") ? a.Address(i, "attr") : 0;
        if (i.Op.Args.ContainsKey("detached"))
        {
            attr = t.Address(i.Symbols[0], PthreadAttr.Words);
            PthreadAttr.Init(t, attr);
            PthreadAttr.Set(t, attr, "detachstate", a.Eval(i, "detached") != 0 ? 1 : 0);
        }

        return f.Then(1, PthreadThread.Create(f.L0, t.PcOf(i.ProgramName!), a.Eval(i, "arg"), attr));
    }

    /// <summary>Names a created thread's TCB semaphores, so a hang report says "joined of w1" rather than an address.</summary>
    private static void NameThreadObjects(GuestThread t, long id, IReadOnlyList<string> symbols)
    {
        var tcbs = PthreadProcess.Of(t).Tcbs;
        for (var k = tcbs.Count - 1; k >= 0; k--)
        {
            if (t.Load(tcbs[k] + PthreadThread.TcbId) == id)
            {
                t.Vm.Symbols[symbols[1]] = tcbs[k] + PthreadThread.TcbJoined;
                t.Vm.Symbols[symbols[2]] = tcbs[k] + PthreadThread.TcbWaiters;
                t.Vm.Symbols[symbols[3]] = tcbs[k] + PthreadThread.TcbExiting;
                t.Vm.Symbols[symbols[4]] = tcbs[k] + PthreadThread.TcbAck;
                return;
            }
        }
    }

    /// <summary>pthread_join; `retval:` keeps the joined thread's return value (0 when the join failed).</summary>
    public static GuestAction Join(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        if (f.Pc == 0)
        {
            return f.Then(1, PthreadThread.Join(a.Eval(i, "id")));
        }

        if (i.Op.Text("retval") is { } retval)
        {
            a.SetLocal(retval, a.Thread.Returned2);
        }

        return AfterReturn(a, i, ref f);
    }

    public static GuestAction Detach(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0 ? f.Then(1, PthreadThread.Detach(a.Eval(i, "id"))) : AfterReturn(a, i, ref f);

    public static GuestAction Exit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, PthreadThread.Exit(a.Eval(i, "value")));

    public static GuestAction AttrInit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        PthreadAttr.Init(a.Thread, a.Address(i, "attr"));
        return a.Next(ref f, GuestAction.Spin(a.Thread.System.Costs.GuestCallCycles));
    }

    public static GuestAction AttrSet(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc != 0 ? Kept(a, i, ref f) : AfterCallCost(a, ref f, PthreadAttr.Set(a.Thread, a.Address(i, "attr"), i.Op.Text("field")!, a.Eval(i, "value")));

    /// <summary>pthread_attr_get&lt;field&gt;: the value is the result; `expect_rc:` checks the return code. L0 the value, L1 the rc.</summary>
    public static GuestAction AttrGet(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0:
                (f.L1, f.L0) = PthreadAttr.Read(a.Thread, a.Address(i, "attr"), i.Op.Text("field")!);
                return f.Then(1, GuestAction.Spin(a.Thread.System.Costs.GuestCallCycles));
            case 1 when i.Op.Args.ContainsKey("expect_rc") && a.Eval(i, "expect_rc") is var expected && f.L1 != expected:
                return f.Then(2, GuestAction.Print(a.Mismatch(i, f.L1, expected)));
            default:
                return Kept(a, i, ref f);
        }
    }
}
