using System.Globalization;
using System.Net;

namespace Chat.LoadGen;

/// <summary>
/// Reads the command line's targets: <c>--servers host:port,host:port</c> and <c>--server host:port</c>
/// (repeatable), or <c>--host</c> and <c>--port</c> for one server; and process ids given as lists.
/// Every address must be on the loopback interface: a load generator here never sends elsewhere.
/// </summary>
internal static class ServerList
{
    /// <summary>
    /// The servers named by <paramref name="items"/> (each may be a comma-separated list), in order;
    /// when none is named, <paramref name="host"/> and <paramref name="port"/>. Adds what is wrong to <paramref name="problems"/>.
    /// </summary>
    public static List<IPEndPoint> Parse(IEnumerable<string> items, string? host, int? port, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(problems);
        var servers = new List<IPEndPoint>();
        foreach (var item in items.SelectMany(Split))
        {
            if (TryParseEndPoint(item) is { } endPoint)
            {
                servers.Add(endPoint);
            }
            else
            {
                problems.Add($"--server '{item}' must be a loopback host:port, such as 127.0.0.1:7777");
            }
        }

        if (servers.Count > 0 || problems.Count > 0)
        {
            if (servers.Distinct().Count() != servers.Count)
            {
                problems.Add("--servers names the same server twice");
            }

            return servers;
        }

        if (port is null)
        {
            problems.Add("name the server: --port PORT (with --host), or --servers host:port,host:port");
            return servers;
        }

        var address = ParseLoopback(host ?? "127.0.0.1");
        if (address is null)
        {
            problems.Add("--host must be a loopback address such as 127.0.0.1");
        }

        if (port is < 1 or > 65535)
        {
            problems.Add("--port must be between 1 and 65535");
        }

        if (address is not null && port is >= 1 and <= 65535)
        {
            servers.Add(new IPEndPoint(address, port.Value));
        }

        return servers;
    }

    /// <summary>Process ids, each item one id or a comma-separated list; adds what is wrong to <paramref name="problems"/>.</summary>
    public static List<int> ParsePids(IEnumerable<string> items, string option, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(problems);
        var pids = new List<int>();
        foreach (var item in items.SelectMany(Split))
        {
            if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
            {
                pids.Add(pid);
            }
            else
            {
                problems.Add($"{option} '{item}' is not a process id");
            }
        }

        return pids;
    }

    /// <summary><c>127.0.0.1:7777</c>, <c>[::1]:7777</c> or <c>localhost:7777</c>; null unless it is a loopback address with a port.</summary>
    public static IPEndPoint? TryParseEndPoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        return ParseLoopback(text[..colon].Trim('[', ']')) is { } address ? new IPEndPoint(address, port) : null;
    }

    private static IPAddress? ParseLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address) ? address
        : null;

    private static IEnumerable<string> Split(string item) =>
        item.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
