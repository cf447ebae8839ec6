using System.Globalization;
using System.Text;

namespace Chat.Cluster.Redis;

/// <summary>
/// One event on the presence channel, as text: <c>KIND NODE [ARG…]</c>. Kinds: <c>hello</c> (the node
/// (re)joined: forget its users; args: lease end, address), <c>join</c>/<c>leave</c> (args: user ids),
/// <c>hb</c> (heartbeat; args: lease end, address), <c>bye</c> (graceful leave), <c>who</c> (asks that
/// node to announce itself again).
/// </summary>
internal readonly record struct PresenceEvent(string Kind, string Node, string[] Arguments)
{
    public const string Hello = "hello";
    public const string Join = "join";
    public const string Leave = "leave";
    public const string Heartbeat = "hb";
    public const string Bye = "bye";
    public const string Who = "who";

    public static string Format(string kind, string node, params ReadOnlySpan<string> arguments)
    {
        var text = new StringBuilder(kind).Append(' ').Append(node);
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(argument);
        }

        return text.ToString();
    }

    public static string FormatIds(string kind, string node, IEnumerable<long> ids) =>
        Format(kind, node, [.. ids.Select(id => id.ToString(CultureInfo.InvariantCulture))]);

    public static bool TryParse(string? text, out PresenceEvent presence)
    {
        var words = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        presence = words.Length >= 2 ? new PresenceEvent(words[0], words[1], words[2..]) : default;
        return words.Length >= 2;
    }

    public long LongArgument(int index) =>
        index < Arguments.Length && long.TryParse(Arguments[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    public IEnumerable<long> Ids()
    {
        foreach (var argument in Arguments)
        {
            if (long.TryParse(argument, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                yield return id;
            }
        }
    }
}
