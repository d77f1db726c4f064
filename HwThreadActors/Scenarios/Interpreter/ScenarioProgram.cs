using H2Sim.HwThreadActors.Guest;
using H2Sim.HwThreadActors.Pthread;

namespace H2Sim.HwThreadActors.Scenarios.Interpreter;

/// <summary>
/// A scenario VM compiled once when the system is built, then shared read-only by every cluster's
/// runtime (partitions run in parallel): its thread bodies, and the memory symbol of each `id:`
/// global. A VM's objects and globals are allocated in guest memory in file order.
/// </summary>
public sealed class ScenarioProgram
{
    private readonly Dictionary<string, ScenarioBody> bodies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> globalSymbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> localSlots = new(StringComparer.Ordinal) { ["arg"] = 0 };

    public ScenarioProgram(Scenario scenario, ScenarioVm vm)
    {
        Scenario = scenario;
        Vm = vm;
        foreach (var global in vm.Globals)
        {
            globalSymbols[global] = "var." + global;
        }

        foreach (var local in vm.Locals.Order(StringComparer.Ordinal))
        {
            localSlots.TryAdd(local, localSlots.Count);
        }

        foreach (var thread in vm.Threads.Values)
        {
            bodies[thread.Name] = ScenarioCompiler.Compile(this, thread);
        }
    }

    public Scenario Scenario { get; }

    public ScenarioVm Vm { get; }

    public ScenarioBody Body(ScenarioThread thread) => bodies[thread.Name];

    /// <summary>How many thread-local slots an activation of this VM's bodies needs ("arg" and every `save:`/`set:`/`retval:` name).</summary>
    public int LocalSlots => localSlots.Count;

    public int LocalSlot(string name) => localSlots[name];

    public bool TryLocalSlot(string name, out int slot) => localSlots.TryGetValue(name, out slot);

    /// <summary>The memory symbol of an `id:` global, or null for a name that is not one.</summary>
    public string? GlobalSymbol(string name) => globalSymbols.GetValueOrDefault(name);

    /// <summary>The static initialisers main runs first: each object, then each global set to 0.</summary>
    public void Initialise(GuestThread t)
    {
        foreach (var obj in Vm.Objects.Values)
        {
            Initialise(t, obj);
        }

        foreach (var global in Vm.Globals)
        {
            t.Store(t.Address(globalSymbols[global]), 0);
        }
    }

    private static void Initialise(GuestThread t, ScenarioObject obj)
    {
        var address = t.Address(obj.Name, obj.Words);
        switch (obj.Type)
        {
            case "mutex":
                PthreadMutex.Init(t, address, obj.Initial);
                break;
            case "sem":
                H2Sem.Init(t, address, obj.Initial);
                break;
            case "barrier" when obj.Initial > 0:
                PthreadBarrier.Init(t, address, obj.Initial);
                break;
            case "barrier":
                break;
            case "attr":
                PthreadAttr.Init(t, address);
                break;
            default:
                t.Store(address, obj.Initial);
                break;
        }
    }
}
