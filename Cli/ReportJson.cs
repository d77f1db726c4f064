using System.Text.Json;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>The outcome object of the kernel model's --json (outcome.kind, outcome.stranded, per-VM outcomes).</summary>
public static class ReportJson
{
    public static void WriteOutcome(Utf8JsonWriter w, ModelReport report)
    {
        w.WriteStartObject();
        w.WriteString("kind", report.OutcomeKind);
        w.WriteString("detail", report.Detail);
        if (report.OutcomeKind == "violation")
        {
            w.WriteString("invariant", report.ViolationInvariant);
            w.WriteNumber("cycles", report.ViolationCycles);
        }

        w.WriteNumber("endCycles", report.EndCycles);
        w.WritePropertyName("stranded");
        WriteStranded(w, report.Stranded);
        w.WriteStartArray("vms");
        foreach (var vm in report.Vms)
        {
            w.WriteStartObject();
            w.WriteString("name", vm.Name);
            w.WriteNumber("vmidx", vm.Vm);
            w.WriteNumber("cluster", vm.Cluster);
            w.WriteString("kind", vm.Kind);
            w.WriteNumber("status", vm.Status);
            w.WriteStartArray("boots");
            foreach (var boot in vm.Boots)
            {
                w.WriteStartObject();
                w.WriteNumber("boot", boot.Boot);
                w.WriteString("kind", boot.Kind);
                w.WriteNumber("status", boot.Status);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WritePropertyName("stranded");
            WriteStranded(w, vm.Stranded);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        EndStateOutput.WriteJson(w, report);
        w.WriteEndObject();
    }

    private static void WriteStranded(Utf8JsonWriter w, IEnumerable<Stranded> stranded)
    {
        w.WriteStartArray();
        foreach (var s in stranded)
        {
            w.WriteStartObject();
            w.WriteNumber("cluster", s.Cluster);
            w.WriteNumber("vm", s.Vm);
            w.WriteNumber("cpuidx", s.Cpuidx);
            w.WriteString("status", s.Status);
            w.WriteString("waitsOn", s.WaitsOn);
            w.WriteString("whoCouldWake", s.WhoCouldWake);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
