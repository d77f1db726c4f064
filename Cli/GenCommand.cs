using System.CommandLine;
using H2Sim.Cluster.Artifacts;
using H2Sim.HwThreadActors.Scenarios;

namespace H2Sim.Cli;

/// <summary>`h2sim gen storm … -o FILE`: writes a teardown-storm scenario (see <see cref="StormGenerator"/>).</summary>
public static class GenCommand
{
    public static Command Create()
    {
        var clusters = new Option<int>("--clusters") { Description = "Hexagon clusters", DefaultValueFactory = _ => 4 };
        var vms = new Option<int>("--vms-per-cluster") { Description = "VMs per cluster: one supervisor plus children", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Threads (contexts) per child VM", DefaultValueFactory = _ => 8 };
        var cross = new Option<double>("--cross-cluster-parents") { Description = "Fraction of child VMs whose parent is a supervisor on another cluster", DefaultValueFactory = _ => 0.5 };
        var kill = new Option<double>("--kill-fraction") { Description = "Fraction of those children their parent kills (the rest exit)", DefaultValueFactory = _ => 0.5 };
        var hthreads = new Option<int>("--hthreads") { Description = "Hardware threads per cluster", DefaultValueFactory = _ => 4 };
        var output = new Option<string>("--output", "-o") { Description = "Scenario file to write (.yaml)", Required = true };
        var storm = new Command("storm", "Write a teardown-storm scenario: KILL and CHILDINT across clusters");
        foreach (var option in new Option[] { clusters, vms, threads, cross, kill, hthreads, output })
        {
            storm.Options.Add(option);
        }

        storm.SetAction(int (parse) =>
        {
            var path = OutputPaths.File(parse.GetValue(output)!, "-o");
            var options = new StormGenerator.Options(
                parse.GetValue(clusters), parse.GetValue(vms), parse.GetValue(threads), parse.GetValue(cross), parse.GetValue(kill), parse.GetValue(GlobalOptions.Seed), parse.GetValue(hthreads));
            if (options.HThreadsPerCluster is < 1 or > 16)
            {
                throw new UsageException("--hthreads must be 1..16");
            }

            var (text, contexts) = StormGenerator.Generate(options);
            ArtifactFile.WriteText(path, text);
            var message = $"wrote {path}: {options.Clusters} clusters, {options.Clusters * options.VmsPerCluster} VMs, {contexts:N0} contexts";
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.Out.WriteLine(JsonOutput.Write(w =>
                {
                    w.WriteString("file", path);
                    w.WriteNumber("clusters", options.Clusters);
                    w.WriteNumber("vms", options.Clusters * options.VmsPerCluster);
                    w.WriteNumber("contexts", contexts);
                }));
            }
            else
            {
                Console.Out.WriteLine(message);
            }

            return ExitCodes.Success;
        });
        var gen = new Command("gen", "Generate scenarios");
        gen.Subcommands.Add(storm);
        return gen;
    }
}
