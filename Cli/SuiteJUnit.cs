using System.Globalization;
using System.Text;
using System.Xml;
using H2Sim.HwThreadActors.Scenarios;
using H2Sim.KernelActors.Config;

namespace H2Sim.Cli;

/// <summary>
/// `suite --junit FILE`: the suite as JUnit XML, the format CI servers read. One &lt;testsuite&gt;
/// per kernel, one &lt;testcase&gt; per test × kernel (classname SUITE.KERNEL, name TEST, time the
/// run's wall seconds); a run that did not pass has a &lt;failure&gt; whose type is the verdict and
/// whose message is the diagnosis, with the command that reproduces it in the body; what the run
/// printed is its &lt;system-out&gt;.
/// </summary>
public static class SuiteJUnit
{
    public static void Write(Stream stream, SuiteResult result, SuiteRunInfo info)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
        using var xml = XmlWriter.Create(stream, settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", $"h2sim suite {info.Suite}");
        xml.WriteAttributeString("tests", Number(result.Entries.Count));
        xml.WriteAttributeString("failures", Number(result.Entries.Count(e => !e.Verdict.Passed)));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("time", Seconds(result.WallSeconds));
        foreach (var kernel in result.Kernels)
        {
            WriteSuite(xml, result, info, kernel);
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteSuite(XmlWriter xml, SuiteResult result, SuiteRunInfo info, KernelVariant kernel)
    {
        var entries = result.Tests.Select(test => result.At(test, kernel)).ToList();
        var classname = $"{info.Suite}.{kernel.Name()}";
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", classname);
        xml.WriteAttributeString("tests", Number(entries.Count));
        xml.WriteAttributeString("failures", Number(entries.Count(e => !e.Verdict.Passed)));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", "0");
        xml.WriteAttributeString("time", Seconds(entries.Sum(e => e.Run.Result.WallSeconds)));
        xml.WriteStartElement("properties");
        Property(xml, "kernel", kernel.Name());
        Property(xml, "seed", info.Seed.ToString(CultureInfo.InvariantCulture));
        Property(xml, "bugs", string.Join(",", KernelBugs.NamesOf(info.Bugs)));
        Property(xml, "h2sim.version", info.Version);
        Property(xml, "judged.by", SuiteRunInfo.JudgedBy);
        xml.WriteEndElement();
        foreach (var entry in entries)
        {
            WriteCase(xml, entry, info, classname);
        }

        xml.WriteEndElement();
    }

    private static void WriteCase(XmlWriter xml, SuiteEntry entry, SuiteRunInfo info, string classname)
    {
        xml.WriteStartElement("testcase");
        xml.WriteAttributeString("name", entry.Test);
        xml.WriteAttributeString("classname", classname);
        xml.WriteAttributeString("time", Seconds(entry.Run.Result.WallSeconds));
        if (!entry.Verdict.Passed)
        {
            xml.WriteStartElement("failure");
            xml.WriteAttributeString("type", entry.Verdict.Kind);
            xml.WriteAttributeString("message", $"{entry.Verdict.Kind}: {entry.Verdict.Detail}");
            var body = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"{entry.Verdict.Kind}: {entry.Verdict.Detail}")
                .AppendLine(CultureInfo.InvariantCulture, $"outcome {entry.Run.Report.OutcomeKind}: {entry.Run.Report.Detail}")
                .AppendLine(CultureInfo.InvariantCulture, $"trace hash {entry.Run.Result.TraceHashText}")
                .AppendLine(CultureInfo.InvariantCulture, $"reproduce: {info.Command(entry)}");
            xml.WriteString(body.ToString());
            xml.WriteEndElement();
        }

        xml.WriteElementString("system-out", string.Join("\n", entry.Run.Report.Printed) + "\n");
        xml.WriteEndElement();
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
}
