namespace H2Sim.HwThreadActors.Guest;

/// <summary>A guest program: what one context runs from its entry point, given its thread handle.</summary>
public delegate IEnumerable<GuestAction> GuestProgram(GuestThread thread);

/// <summary>
/// The system's code: each program has an entry "pc" (4-aligned, as thread create checks), which
/// is what THREAD_CREATE and VMOP_BOOT carry.
/// </summary>
public sealed class ProgramTable
{
    public const long BasePc = 0x1_0000;
    private readonly List<(string Name, GuestProgram Program)> programs = new();

    public long Add(string name, GuestProgram program)
    {
        programs.Add((name, program));
        return BasePc + ((programs.Count - 1) * 4L);
    }

    public (string Name, GuestProgram Program) At(long pc)
    {
        var index = (pc - BasePc) / 4;
        if (pc < BasePc || (pc & 3) != 0 || index >= programs.Count)
        {
            throw new InvalidOperationException($"no guest program at pc 0x{pc:x}");
        }

        return programs[(int)index];
    }

    public long PcOf(string name)
    {
        var index = programs.FindIndex(p => p.Name == name);
        return index < 0 ? throw new ArgumentException($"no guest program named '{name}'") : BasePc + (index * 4L);
    }
}
