using H2Sim.HwThreadActors.Guest;
using static H2Sim.HwThreadActors.Guest.GuestAction;

namespace H2Sim.HwThreadActors.Scenarios.Interpreter;

/// <summary>
/// Runs a compiled scenario thread body on a context: the start routine (or main) of a pthread,
/// as a <see cref="GuestRoutine"/>. The program table entry carries the <see cref="ScenarioBody"/>;
/// the first step replaces it in the frame with an activation (arguments, locals), and each step
/// after runs the current instruction. Results are checked against `expect:` the way an upstream
/// test asserts: a mismatch prints "FAIL: file:line: …", which the suite reads.
/// </summary>
public static class ScenarioInterpreter
{
    public static GuestAction Run(GuestThread t, ref GuestFrame f)
    {
        if (f.Ref is ScenarioBody body)
        {
            if (body.IsMain)
            {
                body.Program.Initialise(t);
            }

            f.Ref = ScenarioActivation.ForBody(t, body, f.A0);
        }

        var a = (ScenarioActivation)f.Ref!;
        var code = a.Body.Code;
        if (a.Ip >= code.Count)
        {
            a.InUse = false;
            return Return(a.ReturnValue);
        }

        var instruction = code[a.Ip];
        return instruction.Run(a, instruction, ref f);
    }
}
