using System.Globalization;
using System.Text;

namespace H2Sim.HwThreadActors.Bench;

/// <summary>
/// A workload with a steady state, for the benchmark's per-event allocation: on every cluster,
/// VMs whose threads loop for ever through the paths a running system takes again and again —
/// PI mutex lock/unlock, a semaphore post/wait pair, cond signal, yield, a compute step — until the
/// horizon. After the threads have started nothing grows, so every byte allocated then is per event.
/// </summary>
public static class ChurnWorkload
{
    public const ulong HorizonCycles = 20_000_000;

    public static string Scenario(int clusters, int vmsPerCluster, int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("scenario: churn");
        text.AppendLine("description: threads loop through lock, semaphore, cond and yield paths until the horizon");
        text.AppendLine(inv, $"topology: {{clusters: {clusters}, hthreads: 4}}");
        text.AppendLine(inv, $"horizon: {HorizonCycles}");
        text.AppendLine("vms:");
        for (var c = 0; c < clusters; c++)
        {
            for (var v = 0; v < vmsPerCluster; v++)
            {
                text.AppendLine(inv, $"  - name: churn{c}_{v}");
                text.AppendLine(inv, $"    cluster: {c}");
                text.AppendLine(inv, $"    max_cpus: {threads + 1}");
                text.AppendLine("    objects: {m: mutex, s: sem, cv: cond, cm: mutex, w: word}");
                text.AppendLine("    threads:");
                text.AppendLine("      main:");
                text.AppendLine(inv, $"        - repeat: {{times: {threads}, do: [create: {{thread: worker}}]}}");
                text.AppendLine("        - call: worker");
                text.AppendLine("      worker:");
                text.AppendLine("        - forever:");
                text.AppendLine("            - mutex_lock: m");
                text.AppendLine("            - fetch_add: {word: w}");
                text.AppendLine("            - mutex_unlock: m");
                text.AppendLine("            - sem_post: s");
                text.AppendLine("            - sem_wait: s");
                text.AppendLine("            - mutex_lock: cm");
                text.AppendLine("            - cond_signal: cv");
                text.AppendLine("            - mutex_unlock: cm");
                text.AppendLine("            - yield");
                text.AppendLine("            - spin: 200");
            }
        }

        return text.ToString();
    }
}
