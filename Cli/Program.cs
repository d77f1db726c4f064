namespace H2Sim.Cli;

public static class Program
{
    public static int Main(string[] args) => Cli.H2SimCli.Run(args);
}
