namespace H2Sim.HwThreadActors.Scenarios.Interpreter;

/// <summary>
/// Compiles a thread body to instructions: each operation through its row in
/// <see cref="ScenarioOps"/>, either one instruction (<see cref="OpSpec.Run"/>) or, for control
/// flow, what its <see cref="OpSpec.Lower"/> emits.
/// </summary>
public sealed class ScenarioCompiler
{
    private readonly List<ScenarioInstruction> code = new();

    private ScenarioCompiler(ScenarioVm vm) => Vm = vm;

    public ScenarioVm Vm { get; }

    /// <summary>The index the next instruction gets.</summary>
    public int Here => code.Count;

    /// <summary>Repeat counters allocated so far.</summary>
    public int Counters { get; private set; }

    public static ScenarioBody Compile(ScenarioProgram program, ScenarioThread thread)
    {
        var compiler = new ScenarioCompiler(program.Vm);
        compiler.EmitAll(thread.Ops);
        return new ScenarioBody(program, thread, compiler.code, compiler.Counters);
    }

    public void EmitAll(IReadOnlyList<ScenarioOp> ops)
    {
        foreach (var op in ops)
        {
            var spec = ScenarioOps.All[op.Kind];
            if (spec.Lower is { } lower)
            {
                lower(op, this);
            }
            else
            {
                Emit(new ScenarioInstruction(op, spec.Run!)
                {
                    ProgramName = ProgramNameOf(op),
                    Symbols = SymbolsOf(op),
                });
            }
        }
    }

    public ScenarioInstruction Emit(ScenarioInstruction instruction)
    {
        code.Add(instruction);
        return instruction;
    }

    public int NewCounter() => Counters++;

    private string? ProgramNameOf(ScenarioOp op)
    {
        var thread = op.Args.GetValueOrDefault("thread") as ScenarioThread ?? op.Args.GetValueOrDefault("destructor") as ScenarioThread;
        return thread is null ? null : Vm.ProgramName(thread.Name);
    }

    private static IReadOnlyList<string> SymbolsOf(ScenarioOp op) => op.Kind switch
    {
        "create" when op.Text("id") is { } id => [$"attr.line{op.Line}", $"{id}.joined", $"{id}.waiters", $"{id}.exiting", $"{id}.ack"],
        "create" => [$"attr.line{op.Line}"],
        _ => [],
    };
}
