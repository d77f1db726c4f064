namespace H2Sim.Core.Recording;

/// <summary>h2sim's version, written into every log header.</summary>
public static class VersionInfo
{
    public static string Text => typeof(VersionInfo).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
