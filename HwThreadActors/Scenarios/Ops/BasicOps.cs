using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios.Interpreter;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Scenarios.Ops;

/// <summary>Guest basics: spinning, printing, checks, thread-local variables, memory words, exit.</summary>
public static class BasicOps
{
    public static GuestAction Spin(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        var cycles = a.Eval(i, "cycles");
        return cycles > 0 ? a.Next(ref f, GuestAction.Spin((ulong)cycles)) : a.Next(ref f);
    }

    public static GuestAction Yield(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, Trap0(Trap0Numbers.Yield));

    public static GuestAction PrintLine(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, Print(a.Interpolate(i.Op.Text("text")!)));

    public static GuestAction Check(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        if (a.Eval(i, "that") != 0)
        {
            return a.Next(ref f);
        }

        var that = i.Op.Expr("that")!;
        return a.Next(ref f, Print($"FAIL: {a.Program.Scenario.File}:{i.Op.Line}: check failed: {that} ({a.Explain(that)})"));
    }

    public static GuestAction Set(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        a.SetLocal(i.Op.Text("var")!, a.Eval(i, "value"));
        return a.Next(ref f);
    }

    /// <summary>load: the access costs an atomic; the value is read after it.</summary>
    public static GuestAction Load(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        f.Pc == 0
            ? f.Then(1, GuestAction.Spin(a.Thread.System.Costs.GuestAtomicCycles))
            : a.Finish(ref f, i, a.Thread.Load(a.Address(i, "word")));

    public static GuestAction Store(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        a.Thread.Store(a.Address(i, "word"), a.Eval(i, "value"));
        return a.Next(ref f, GuestAction.Spin(a.Thread.System.Costs.GuestAtomicCycles));
    }

    public static GuestAction FetchAdd(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        if (f.Pc != 0)
        {
            return a.Finish(ref f, i, f.L0);
        }

        f.L0 = a.Thread.FetchAdd(a.Address(i, "word"), a.Eval(i, "add", 1));
        return f.Then(1, GuestAction.Spin(a.Thread.System.Costs.GuestAtomicCycles));
    }

    /// <summary>exit(status): sys_exit for this kernel (it returns only where the kernel lets it).</summary>
    public static GuestAction Exit(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Next(ref f, GuestLib.Exit(a.Eval(i, "status")));

    /// <summary>An operation whose result <paramref name="rc"/> is known at once and that costs a guest call; the rc is reported after it.</summary>
    public static GuestAction AfterCallCost(ScenarioActivation a, ref GuestFrame f, long rc)
    {
        f.L0 = rc;
        return f.Then(1, GuestAction.Spin(a.Thread.System.Costs.GuestCallCycles));
    }

    /// <summary>The result kept by <see cref="AfterCallCost"/>.</summary>
    public static GuestAction Kept(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Finish(ref f, i, f.L0);

    /// <summary>After a guest library call: the operation's result is what it returned.</summary>
    public static GuestAction AfterReturn(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Finish(ref f, i, a.Thread.Returned);

    /// <summary>After a trap: the operation's result is what the trap returned (saved r0).</summary>
    public static GuestAction AfterTrap(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Finish(ref f, i, a.Thread.Result);

    /// <summary>After a call that reports nothing: the result is 0.</summary>
    public static GuestAction AfterVoid(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.Finish(ref f, i, 0);
}
