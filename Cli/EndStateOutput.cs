using System.Globalization;
using System.Text.Json;
using H2Sim.Protocol.Model;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// The state a run ended in, beyond the stranded contexts: every vmblock with its num_cpus and
/// freed state, interrupts left pending with why nobody took them, hthreads still in the kernel.
/// Printed for a run that did not end with every VM drained; always in --json.
/// </summary>
public static class EndStateOutput
{
    public static void Print(ModelReport report)
    {
        if (report.VmStates.Count > 0)
        {
            var table = new Table().AddColumns("cluster", "vm", "name", "num_cpus", "freed", "parent");
            foreach (var s in report.VmStates)
            {
                table.AddRow(Text(s.Cluster), Text(s.Vm), Markup.Escape(s.Name), $"{s.NumCpus}/{s.MaxCpus}", s.Freed ? "yes" : "no", Markup.Escape(s.Parent));
            }

            AnsiConsole.MarkupLine("  vmblocks:");
            AnsiConsole.Write(table);
        }

        foreach (var p in report.PendingInterrupts)
        {
            AnsiConsole.MarkupLine($"  interrupt {p.InterruptNumber} pending on cluster {p.Cluster} (iassignw 0x{p.NotTakenMask:x}): {Markup.Escape(p.WhyNotTaken)}");
        }

        foreach (var wait in report.KernelWaits)
        {
            AnsiConsole.MarkupLine($"  in the kernel: {Markup.Escape(wait)}");
        }
    }

    public static void WriteJson(Utf8JsonWriter w, ModelReport report)
    {
        w.WriteStartArray("vmBlocks");
        foreach (var s in report.VmStates)
        {
            w.WriteStartObject();
            w.WriteNumber("cluster", s.Cluster);
            w.WriteNumber("vm", s.Vm);
            w.WriteString("name", s.Name);
            w.WriteNumber("numCpus", s.NumCpus);
            w.WriteNumber("maxCpus", s.MaxCpus);
            w.WriteBoolean("freed", s.Freed);
            w.WriteString("parent", s.Parent);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("pendingInterrupts");
        foreach (var p in report.PendingInterrupts)
        {
            w.WriteStartObject();
            w.WriteNumber("cluster", p.Cluster);
            w.WriteNumber("interrupt", p.InterruptNumber);
            w.WriteNumber("notTakenMask", p.NotTakenMask);
            w.WriteString("whyNotTaken", p.WhyNotTaken);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("kernelWaits");
        foreach (var wait in report.KernelWaits)
        {
            w.WriteStringValue(wait);
        }

        w.WriteEndArray();
    }

    private static string Text(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
