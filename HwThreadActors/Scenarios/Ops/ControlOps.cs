using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Scenarios.Interpreter;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Scenarios.Ops;

/// <summary>
/// Control flow: repeat, forever and if lower to jumps when a body is compiled; return ends the
/// activation; call runs another body as a function. None of them takes virtual time except
/// call's guest-call overhead.
/// </summary>
public static class ControlOps
{
    /// <summary>repeat: [begin: counter = times] [check: counter-- > 0 or exit] body [jump check].</summary>
    public static void LowerRepeat(ScenarioOp op, ScenarioCompiler c)
    {
        var slot = c.NewCounter();
        c.Emit(new ScenarioInstruction(op, RepeatBegin) { Slot = slot });
        var check = c.Emit(new ScenarioInstruction(op, RepeatCheck) { Slot = slot });
        var top = c.Here - 1;
        c.EmitAll(op.Ops("do"));
        c.Emit(new ScenarioInstruction(op, Jump) { Target = top });
        check.Target = c.Here;
    }

    /// <summary>forever: body [jump to its start]; only the thread's death (or a return) leaves it.</summary>
    public static void LowerForever(ScenarioOp op, ScenarioCompiler c)
    {
        var top = c.Here;
        c.EmitAll(op.Ops("do"));
        c.Emit(new ScenarioInstruction(op, Jump) { Target = top });
    }

    /// <summary>if: [branch to else when zero] then [jump end] else.</summary>
    public static void LowerIf(ScenarioOp op, ScenarioCompiler c)
    {
        var branch = c.Emit(new ScenarioInstruction(op, BranchIfZero));
        c.EmitAll(op.Ops("then"));
        var skipElse = c.Emit(new ScenarioInstruction(op, Jump));
        branch.Target = c.Here;
        c.EmitAll(op.Ops("else"));
        skipElse.Target = c.Here;
    }

    private static GuestAction RepeatBegin(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        var times = a.Eval(i, "times");
        if (!ScenarioRanges.RepeatTimes.Contains(times))
        {
            throw a.Error(i, $"expected {ScenarioRanges.RepeatTimes.Name} in {ScenarioRanges.RepeatTimes}, the expression gave {times}");
        }

        a.Counter(i.Slot) = times;
        return a.Next(ref f);
    }

    private static GuestAction RepeatCheck(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        ref var left = ref a.Counter(i.Slot);
        if (left <= 0)
        {
            return a.JumpTo(ref f, i.Target);
        }

        left--;
        return a.Next(ref f);
    }

    private static GuestAction Jump(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) => a.JumpTo(ref f, i.Target);

    private static GuestAction BranchIfZero(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f) =>
        a.Eval(i, "that") != 0 ? a.Next(ref f) : a.JumpTo(ref f, i.Target);

    /// <summary>return: the activation ends with the value (main's goes to exit through crt0).</summary>
    public static GuestAction ReturnFromBody(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        a.ReturnValue = a.Eval(i, "value");
        return a.JumpTo(ref f, a.Body.Code.Count);
    }

    /// <summary>call: the guest-call overhead, then the callee body with `arg` (evaluated before the call); its return value is the result.</summary>
    public static GuestAction Call(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f)
    {
        switch (f.Pc)
        {
            case 0 when a.Depth == ScenarioRanges.CallDepth.Max:
                throw a.Error(i, $"calls nest deeper than {ScenarioRanges.CallDepth.Max} (a recursion without an end?)");
            case 0:
                f.L0 = a.Eval(i, "arg");
                return f.Then(1, Spin(a.Thread.System.Costs.GuestCallCycles));
            case 1:
                var callee = new ScenarioActivation(a.Thread, a.Program.Body(i.Op.Thread("thread")), f.L0, a.Depth + 1);
                return f.Then(2, Invoke(ScenarioInterpreter.Run, reference: callee));
            default:
                return a.Finish(ref f, i, a.Thread.Returned);
        }
    }
}
