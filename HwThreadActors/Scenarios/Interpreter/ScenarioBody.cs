namespace H2Sim.HwThreadActors.Scenarios.Interpreter;

/// <summary>A thread body compiled to a flat list of instructions (loops and branches are jumps), and the VM it belongs to.</summary>
public sealed class ScenarioBody(ScenarioProgram program, ScenarioThread thread, IReadOnlyList<ScenarioInstruction> code, int counters)
{
    public ScenarioProgram Program { get; } = program;

    public ScenarioThread Thread { get; } = thread;

    public IReadOnlyList<ScenarioInstruction> Code { get; } = code;

    /// <summary>Repeat counters an activation of this body needs (one per repeat in it).</summary>
    public int Counters { get; } = counters;

    /// <summary>main: the VM's objects get their static initialisers before it runs.</summary>
    public bool IsMain => Thread.Name == "main";
}
