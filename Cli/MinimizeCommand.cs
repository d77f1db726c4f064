using System.CommandLine;
using H2Sim.Cluster.Artifacts;
using H2Sim.Core.Recording;
using H2Sim.Core.Run;
using H2Sim.Core.Trace;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.Protocol.Trace;

namespace H2Sim.Cli;

/// <summary>
/// `h2sim minimize FILE -o OUT` (architecture.md §8): delta debugging over the faults the recorded
/// run injected, then over the scenario's removable parts (VMs, threads, operations tagged
/// !optional, hthreads), keeping candidates that fail with the same signature; writes the
/// smallest failing run as a log and prints the sizes before and after.
/// </summary>
public static class MinimizeCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("log") { Description = "A recorded failing run (.h2log)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the minimised log (.h2log)", Required = true };
        var minimize = new Command("minimize", "Shrink a failing recorded run to what matters");
        minimize.Arguments.Add(file);
        minimize.Options.Add(output);
        minimize.SetAction(int (parse) => Execute(RunLog.Read(parse.GetValue(file)!.FullName), RunArtifacts.CheckLogPath(parse.GetValue(output)!, "-o")!, parse.GetValue(GlobalOptions.Json)));
        return minimize;
    }

    private static int Execute(RunLog log, string outPath, bool json)
    {
        var minimized = H2SimModels.Simulation.Recorded.Minimize(log);
        minimized.WriteLog(outPath);
        var (result, final, manifest) = (minimized.Result, minimized.Final, minimized.Manifest);

        var outcome = new Outcome(result, log, final, outPath, SizeOf(log.Manifest), SizeOf(manifest));
        if (json)
        {
            Console.Out.WriteLine(JsonOutput.Write(w => WriteJson(w, outcome)));
        }
        else
        {
            Print(outcome);
        }

        return ExitCodes.Success;
    }

    /// <summary>A minimisation's result, the log it started from, the final run and where it was written.</summary>
    private sealed record Outcome(MinimizeResult Result, RunLog Log, RunResult Final, string OutPath, string SizeBefore, string SizeAfter);

    private static void WriteJson(System.Text.Json.Utf8JsonWriter w, Outcome o)
    {
        var (result, log, final, outPath, sizeBefore, sizeAfter) = o;
        w.WriteString("signature", result.Signature);
        w.WriteNumber("faultsBefore", result.FaultsBefore);
        w.WriteNumber("faultsAfter", result.FaultsAfter);
        w.WriteBoolean("keptRandomPlan", result.KeptRandomPlan);
        w.WriteNumber("guestStepsBefore", result.StepsBefore);
        w.WriteNumber("guestStepsAfter", result.StepsAfter);
        w.WriteNumber("forcedChoicesBefore", result.ForcedBefore);
        w.WriteNumber("forcedChoicesAfter", result.ForcedAfter);
        w.WriteNumber("eventsBefore", log.Events.Count);
        w.WriteNumber("eventsAfter", final.Events);
        w.WriteString("scenarioBefore", sizeBefore);
        w.WriteString("scenarioAfter", sizeAfter);
        w.WriteNumber("trials", result.Trials);
        w.WriteString("log", outPath);
        w.WriteString("traceHash", TraceDigest.Format(final.TraceHash));
        w.WriteString("replay", ReproduceCommand.Replay(outPath));
    }

    private static void Print(Outcome o)
    {
        var (result, log, final, outPath, sizeBefore, sizeAfter) = o;
        Console.Out.WriteLine($"signature {result.Signature} kept over {result.Trials} trial runs");
        Console.Out.WriteLine($"  faults:   {result.FaultsBefore} -> {result.FaultsAfter}");
        Console.Out.WriteLine($"  guest-timing perturbations: {result.StepsBefore} -> {result.StepsAfter}; forced choices: {result.ForcedBefore} -> {result.ForcedAfter}");
        if (result.KeptRandomPlan)
        {
            Console.Out.WriteLine($"  the recorded faults, replayed as explicit per-message faults, did not fail the same way: kept the random fault plan ({result.Spec.Faults?.Rules.Count ?? 0} rule(s)) unshrunk");
        }

        Console.Out.WriteLine($"  messages: {log.Events.Count} -> {final.Events}");
        if (sizeBefore.Length > 0)
        {
            Console.Out.WriteLine($"  scenario: {sizeBefore} -> {sizeAfter}");
        }

        Console.Out.WriteLine($"  wrote {outPath} ({final.Report.OutcomeKind}, hash {TraceDigest.Format(final.TraceHash)})");
        Console.Out.WriteLine($"  replay:  {ReproduceCommand.Replay(outPath, Path.ChangeExtension(outPath, null))}");
        Console.Out.WriteLine($"  read:    {ReproduceCommand.Log(outPath)}");
    }

    private static string SizeOf(RunManifest manifest) =>
        manifest.Spec.Kernel is { ScenarioText.Length: > 0 } kernel ? ScenarioReducer.Size(kernel.ScenarioText).ToString() : string.Empty;
}
