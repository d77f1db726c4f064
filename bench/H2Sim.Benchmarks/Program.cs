using BenchmarkDotNet.Running;

namespace H2Sim.Benchmarks;

/// <summary>
/// Entry point: `dotnet run -c Release --project bench/H2Sim.Benchmarks -- --filter '*'`
/// (any BenchmarkDotNet switch works; see bench/README.md).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
