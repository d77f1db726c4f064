namespace H2Sim.Cli;

/// <summary>
/// The scenarios that ship with h2sim, next to the binary (copied there by the build, packed into
/// the .NET tool): `h2sim suite` with no directory runs the upstream pthread suite from here.
/// </summary>
public static class BundledScenarios
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "scenarios");

    /// <summary>The 38 upstream pthread tests.</summary>
    public static string PthreadSuite => Path.Combine(Root, "h2-pthread");
}
