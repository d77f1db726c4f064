using System.CommandLine;

namespace H2Sim.Cluster.Cli;

/// <summary>`h2sim run &lt;scenario&gt;`: runs one scenario file on the kernel model.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("scenario") { Description = "Scenario file (docs/scenarios.md)" };
        var run = new Command("run", "Run one scenario on the H2 kernel model");
        run.Arguments.Add(file);
        run.SetAction(int (parse) =>
        {
            var scenario = parse.GetValue(file)!;
            if (!scenario.Exists)
            {
                throw new UsageException($"scenario file not found: {scenario.FullName}");
            }

            throw new UsageException($"{scenario.Name}: scenario files are read by the kernel model, which this build does not include yet");
        });
        return run;
    }
}
