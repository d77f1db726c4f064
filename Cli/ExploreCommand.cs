using System.CommandLine;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim explore &lt;scenario|dir&gt; --kernel K [--strategy random|pct|coverage|exhaustive]
/// [--runs N | --time S] [--faults none|random|PLAN] [--guest-jitter PCT] [--coverage] [--report DIR]
/// [--out DIR]`: search the choice points for failures (docs/exploration.md). The search itself is
/// library code (HwThreadActors/Explore); this verb parses, shows progress and prints. Exit 1 when
/// failures were found, 0 when none.
/// </summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var target = new Argument<FileSystemInfo>("scenario") { Description = "Scenario file, or a directory of them (a matrix of tests × kernels)" };
        var o = new ExploreOptions();
        var explore = new Command("explore", "Search interleavings of a scenario (or a directory) for failures, with coverage");
        explore.Arguments.Add(target);
        o.AddTo(explore);
        explore.SetAction(int (parse) =>
        {
            var path = parse.GetValue(target)!;
            var request = o.Read(parse);
            if (Directory.Exists(path.FullName))
            {
                // The directory as given: the per-cell commands and the report name it the same way.
                return ExploreMatrix.Run(path.ToString(), parse, o, request);
            }

            if (!File.Exists(path.FullName))
            {
                throw new UsageException($"scenario not found: {path.FullName}");
            }

            var scenario = ScenarioOptions.Load(new FileInfo(path.FullName));
            var kernels = parse.GetValue(o.Kernel)!;
            if (kernels.Count > 1)
            {
                throw new UsageException("--kernel all explores a directory; for one scenario name one kernel");
            }

            var options = ScenarioOptions.RunOptions(parse, kernels[0], o.Bugs, o.Parameters);
            var result = ExploreRunner.Explore(scenario, options, request, $"exploring {scenario.Name} on {options.Kernel.Name()} ({request.Settings.Strategy.Name()})");
            ExploreOutput.Print(request, scenario, options, result);
            return result.Failures.Count > 0 ? ExitCodes.SimulationFailure : ExitCodes.Success;
        });
        return explore;
    }
}
