using System.CommandLine;
using Akka.Configuration;
using H2Sim.Cluster.Settings;
using H2Sim.Core.Phold;
using H2Sim.Protocol.Model;

namespace H2Sim.Cli;

/// <summary>The PHOLD options both bench verbs take; one instance per command.</summary>
internal sealed class PholdOptions(ulong eventsDefault = 2_000_000)
{
    public readonly Option<uint> Lps = CliParsers.WholeNumber32(
        "--lps", $"Logical processes, a multiple of the placement groups (h2sim.phold.groups) up to {BenchCommand.LpsMax}", 1024, min: 1, max: BenchCommand.LpsMax);

    public readonly Option<ulong> Events = CliParsers.WholeNumber(
        "--events", "Events the LPs forward in total", eventsDefault, min: 1);

    public readonly Option<double> Remote = CliParsers.Fraction(
        "--remote", "Fraction of events sent to another placement group", 0.25);

    public readonly Option<ulong> WarmupEvents = CliParsers.WholeNumber(
        "--warmup-events", "Events of the untimed warm-up run before the measured one, at most --events (0 = none)", BenchCommand.WarmupEventsDefault);

    public void AddTo(Command command)
    {
        command.Options.Add(Lps);
        command.Options.Add(Events);
        command.Options.Add(Remote);
        command.Options.Add(WarmupEvents);
    }

    public ModelSpec Spec(ParseResult parse, Config config)
    {
        var spec = PholdSettings.From(config).Spec(parse.GetValue(GlobalOptions.Seed), parse.GetValue(Lps), parse.GetValue(Events), parse.GetValue(Remote));
        PholdFactory.Validate(spec);
        return spec;
    }
}
