using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using H2Sim.Core.Input;

namespace H2Sim.Cluster.Engine;

/// <summary>
/// The configuration of a process on an Akka.Cluster: what it was started with (hostname, port,
/// roles) over hocon/cluster.conf over hocon/h2sim.conf. Every member uses the ActorSystem name
/// <see cref="SystemName"/>, so an address is fully given by host and port.
/// </summary>
public static class ClusterConfig
{
    public const string SystemName = "h2sim";

    public const string NodeRole = "node";

    /// <summary>The role of a launcher that joins a running cluster only to coordinate (`--cluster`).</summary>
    public const string CoordinatorRole = "coordinator";

    /// <param name="publicAddress">Where the other nodes reach this one when that is not where it listens (a relay, a NAT); null: the same.</param>
    public static Config Build(string hostname, int port, IEnumerable<string> roles, string? overrides = null, Address? publicAddress = null)
    {
        if (port is < 0 or > 65535)
        {
            throw new InputException($"a node's port is 0..65535, got {port}");
        }

        var roleList = string.Join(", ", roles.Select(Quote));
        var advertised = publicAddress is null
            ? string.Empty
            : $"""
              akka.remote.dot-netty.tcp.public-hostname = {Quote(publicAddress.Host!)}
              akka.remote.dot-netty.tcp.public-port = {publicAddress.Port!.Value.ToString(CultureInfo.InvariantCulture)}
              """;
        var process = ConfigurationFactory.ParseString(
            $"""
            akka.remote.dot-netty.tcp.hostname = {Quote(hostname)}
            akka.remote.dot-netty.tcp.port = {port.ToString(CultureInfo.InvariantCulture)}
            akka.cluster.roles = [{roleList}]
            {advertised}
            """);
        var config = process.WithFallback(HoconConfig.Load("cluster.conf")).WithFallback(HoconConfig.Load());
        return string.IsNullOrWhiteSpace(overrides) ? config : ConfigurationFactory.ParseString(overrides).WithFallback(config);
    }

    /// <summary>"HOST:PORT" → the address of the h2sim node listening there.</summary>
    public static Address ParseNodeAddress(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new InputException($"expected HOST:PORT (e.g. 127.0.0.1:4053), got '{text}'");
        }

        return new Address("akka.tcp", SystemName, text[..colon], port);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
