namespace H2Sim.HwThreadActors.Guest;

/// <summary>A guest program written as a C# iterator (tests, the C# API): what one context runs from its entry point.</summary>
public delegate IEnumerable<GuestAction> GuestProgram(GuestThread thread);

/// <summary>
/// A program's entry point: an iterator program, or a state-machine routine with the host state it
/// runs on (<see cref="Ref"/>: a scenario thread body, say); a routine gets the thread's argument in A0.
/// </summary>
public sealed record GuestEntryPoint(string Name, GuestProgram? Program, GuestRoutine? Routine, object? Ref)
{
    /// <summary>The action that calls this program with <paramref name="arg"/> (from crt0 or an event handler).</summary>
    public GuestAction Start(GuestThread thread, long arg) =>
        Routine is not null ? GuestAction.Invoke(Routine, arg, reference: Ref) : GuestAction.Call(Program!(thread));

    /// <summary>Starts this program on top of <paramref name="execution"/>'s call stack.</summary>
    public void PushOn(GuestExecution execution, long arg)
    {
        if (Routine is not null)
        {
            execution.Push(Routine, arg, reference: Ref);
        }
        else
        {
            execution.Push(Program!(execution.Thread));
        }
    }
}

/// <summary>
/// The system's code: each program has an entry "pc" (4-aligned, as thread create checks), which
/// is what THREAD_CREATE and VMOP_BOOT carry.
/// </summary>
public sealed class ProgramTable
{
    public const long BasePc = 0x1_0000;
    private readonly List<GuestEntryPoint> programs = new();
    private readonly Dictionary<string, long> pcByName = new(StringComparer.Ordinal);

    public long Add(string name, GuestProgram program) => Add(new GuestEntryPoint(name, program, null, null));

    public long Add(string name, GuestRoutine routine, object? reference = null) => Add(new GuestEntryPoint(name, null, routine, reference));

    private long Add(GuestEntryPoint entry)
    {
        programs.Add(entry);
        var pc = BasePc + ((programs.Count - 1) * 4L);
        pcByName.TryAdd(entry.Name, pc);
        return pc;
    }

    public bool Contains(string name) => pcByName.ContainsKey(name);

    public GuestEntryPoint At(long pc)
    {
        var index = (pc - BasePc) / 4;
        if (pc < BasePc || (pc & 3) != 0 || index >= programs.Count)
        {
            throw new InvalidOperationException($"no guest program at pc 0x{pc:x}");
        }

        return programs[(int)index];
    }

    public long PcOf(string name) =>
        pcByName.TryGetValue(name, out var pc) ? pc : throw new ArgumentException($"no guest program named '{name}'");
}
