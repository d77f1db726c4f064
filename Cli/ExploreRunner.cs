using System.Globalization;
using H2Sim.HwThreadActors.Explore;
using H2Sim.HwThreadActors.Scenarios;
using Spectre.Console;

namespace H2Sim.Cli;

/// <summary>
/// Runs one exploration session for the CLI, with progress: runs, runs/s, distinct failures and
/// coverage items — a bar by runs, or by time with --time, on a terminal; a line every few seconds
/// on stderr otherwise (none with --json).
/// </summary>
public static class ExploreRunner
{
    public static ExploreResult Explore(Scenario scenario, ScenarioRunOptions options, ExploreRequest request, string title, string? outDir = null)
    {
        var definition = scenario.Build(options.Params, options.Costs);
        var template = ScenarioRunner.Spec(scenario, options);
        var session = new ExploreSession(definition, template, request.Settings, H2SimModels.Simulation.Resolver(), new ScenarioReducer());
        var folder = outDir ?? request.OutDir;
        if (!Terminal.ShowsProgressBar(request.Json))
        {
            var lastLine = 0.0;
            return session.Run(request.MaxRuns, request.Budget, folder, p =>
            {
                if (!request.Json && p.Seconds - lastLine >= 2)
                {
                    lastLine = p.Seconds;
                    Terminal.Progress($"{title}: {Describe(p)}");
                }
            });
        }

        ExploreResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var byTime = request.Budget is not null;
                var task = context.AddTask(Markup.Escape(title), maxValue: byTime ? request.Budget!.Value.TotalSeconds : request.MaxRuns);
                result = session.Run(request.MaxRuns, request.Budget, folder, p =>
                {
                    task.Value = byTime ? Math.Min(p.Seconds, task.MaxValue) : p.Runs;
                    task.Description = Markup.Escape($"{title}: {Describe(p)}");
                });
                task.Value = task.MaxValue;
            });
        return result!;
    }

    public static string Describe(ExploreProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Runs} runs, {p.RunsPerSecond:0} runs/s, {p.Failures} failure(s), coverage {p.Coverage}");
}
