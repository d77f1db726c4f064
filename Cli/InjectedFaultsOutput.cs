using System.Globalization;
using System.Text.Json;
using H2Sim.Cluster.Faults;

namespace H2Sim.Cli;

/// <summary>How `run` shows the faults a run injected: a table on the terminal, a `faultsInjected` array in --json.</summary>
public static class InjectedFaultsOutput
{
    public static void Print(IReadOnlyList<InjectedFault> faults)
    {
        Console.Out.WriteLine($"  faults injected: {faults.Count}");
        foreach (var f in faults)
        {
            var what = f.Action == "delay" ? string.Create(CultureInfo.InvariantCulture, $"delay +{f.DelayCycles}") : f.Action;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {f.Cycles,10}  {what,-12} {f.FaultKind,-20} {f.Id,-10} {f.From} -> {f.To}"));
        }
    }

    public static void WriteJson(Utf8JsonWriter w, IReadOnlyList<InjectedFault> faults)
    {
        w.WriteStartArray("faultsInjected");
        foreach (var f in faults)
        {
            w.WriteStartObject();
            w.WriteString("id", f.Id);
            w.WriteNumber("cycles", f.Cycles);
            w.WriteString("action", f.Action);
            w.WriteNumber("delayCycles", f.DelayCycles);
            w.WriteString("kind", f.Kind);
            w.WriteString("faultKind", f.FaultKind);
            w.WriteString("from", f.From);
            w.WriteString("to", f.To);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
