using System.CommandLine;

namespace H2Sim.Cluster.Cli;

/// <summary>Options every verb accepts (declared once on the root, recursive).</summary>
public static class GlobalOptions
{
    public static readonly Option<ulong> Seed = new("--seed")
    {
        Description = "Run seed: every random decision derives from it",
        DefaultValueFactory = _ => 1,
        Recursive = true,
    };

    public static readonly Option<int> Partitions = new("--partitions")
    {
        Description = "Number of partitions (Akka actors) the system is split into",
        DefaultValueFactory = _ => 1,
        Recursive = true,
    };

    public static readonly Option<ulong> Horizon = new("--horizon")
    {
        Description = "Stop delivering events at this virtual time in cycles (0 = no horizon)",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print exactly one JSON object on stdout",
        Recursive = true,
    };

    static GlobalOptions()
    {
        Partitions.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--partitions must be at least 1");
            }
        });
    }
}
