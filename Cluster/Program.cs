namespace H2Sim.Cluster;

public static class Program
{
    public static int Main(string[] args) => Cli.H2SimCli.Run(args);
}
