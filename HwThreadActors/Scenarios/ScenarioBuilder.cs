using H2Sim.HwThreadActors.Pthread;
using H2Sim.HwThreadActors.Scenarios.Interpreter;
using H2Sim.HwThreadActors.System;
using H2Sim.KernelActors.Config;

namespace H2Sim.HwThreadActors.Scenarios;

/// <summary>
/// Turns a loaded scenario into a system: each VM's thread bodies are compiled once and become
/// pthread routines in the program table (main behind crt0, which runs the library constructor
/// and the static initialisers of the VM's objects), and each VM is handed to its cluster's booter.
/// </summary>
public static class ScenarioBuilder
{
    /// <summary>
    /// The system with parameter <paramref name="overrides"/>; costs are hocon/costs.conf, then the
    /// scenario's `costs:`, then <paramref name="costOverrides"/> (`--cost`).
    /// </summary>
    public static SystemDefinition Build(Scenario scenario, IReadOnlyDictionary<string, long>? overrides, IReadOnlyDictionary<string, ulong>? costOverrides = null)
    {
        var definition = new SystemDefinition(scenario.Topology)
        {
            Name = scenario.Name,
            Costs = CostModel.Defaults.With(scenario.Costs).With(costOverrides ?? new Dictionary<string, ulong>()),
        };
        foreach (var (name, value) in scenario.ParameterValues(overrides))
        {
            definition.Parameters[name] = value;
        }

        foreach (var vm in scenario.Vms)
        {
            var program = new ScenarioProgram(scenario, vm);
            foreach (var thread in vm.Threads.Values)
            {
                var name = vm.ProgramName(thread.Name);
                if (thread.Name == "main")
                {
                    PthreadLibrary.AddMain(definition, name, ScenarioInterpreter.Run, program.Body(thread));
                }
                else
                {
                    PthreadLibrary.Add(definition, name, ScenarioInterpreter.Run, program.Body(thread));
                }
            }

            definition.AddVm(new VmDefinition(vm.Name, vm.ProgramName("main"), vm.Cluster, vm.MaxCpus)
            {
                ExpectStatus = vm.ExpectStatus,
                Boots = vm.Boots,
                Prio = vm.Prio,
                Parent = vm.Parent,
            });
        }

        return definition;
    }
}
