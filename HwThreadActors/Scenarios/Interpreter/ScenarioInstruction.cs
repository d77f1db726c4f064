using H2Sim.HwThreadActors.Guest;

namespace H2Sim.HwThreadActors.Scenarios.Interpreter;

/// <summary>
/// How one instruction of a compiled thread body runs: from <see cref="GuestFrame.Pc"/> 0 (the
/// instruction's first step) until it moves on with <see cref="ScenarioActivation.Next(ref GuestFrame)"/>
/// or <see cref="ScenarioActivation.Finish"/>; in between it may spin, trap or call the guest
/// libraries like any <see cref="GuestRoutine"/>.
/// </summary>
public delegate GuestAction OpRun(ScenarioActivation a, ScenarioInstruction i, ref GuestFrame f);

/// <summary>
/// One instruction of a compiled thread body: a scenario operation, or a jump that control flow
/// (repeat, forever, if) lowers to. What the operation needs at run time that does not change
/// (the `save:` variable, symbol names) is worked out once, when the body is compiled.
/// </summary>
public sealed class ScenarioInstruction(ScenarioOp op, OpRun run)
{
    public ScenarioOp Op { get; } = op;

    public OpRun Run { get; } = run;

    /// <summary>Where a jump goes (an instruction index; the body's length is its end).</summary>
    public int Target { get; set; }

    /// <summary>The activation's counter a repeat uses.</summary>
    public int Slot { get; set; }

    /// <summary>The thread-local variable `save:` writes, or null.</summary>
    public string? SaveVariable { get; } = op.Text("save");

    /// <summary>`expect:`, or null.</summary>
    public ScenarioExpr? Expect { get; } = op.Args.ContainsKey("expect") ? op.Expr("expect") : null;

    /// <summary>The program name of the thread body the operation starts (create, thread_create, key_create's destructor), or null.</summary>
    public string? ProgramName { get; init; }

    /// <summary>Names the operation gives guest memory (create: `attr.lineN`; its TCB semaphores as `id.joined`, …).</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];
}
