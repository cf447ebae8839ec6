using System.Globalization;
using System.Text;

namespace Chat.Cluster.Redis;

/// <summary>
/// One event on the presence channel, as text: <c>KIND NODE [ARG…]</c>. Kinds: <c>hello</c> (the node
/// (re)joined: forget its users; args: lease end, address), <c>join</c> (args: one word per user,
/// <c>ID,CONNECTED_AT_MS,TRANSPORT,ADDRESS</c>, see <see cref="ClusterUser"/>), <c>leave</c> (args:
/// user ids), <c>hb</c> (heartbeat; args: lease end, address, the node's figures), <c>lease</c> (the
/// node took a block of ids; arg: its last id; published by the lease script itself), <c>bye</c>
/// (graceful leave), <c>who</c> (asks that node to announce itself again), <c>probe</c> (a node
/// checks that its own subscription delivers; the others ignore it).
/// </summary>
internal readonly record struct PresenceEvent(string Kind, string Node, string[] Arguments)
{
    public const string Hello = "hello";
    public const string Join = "join";
    public const string Leave = "leave";
    public const string Heartbeat = "hb";
    public const string Bye = "bye";
    public const string Who = "who";
    public const string Lease = "lease";
    public const string Probe = "probe";

    public static string Format(string kind, string node, params ReadOnlySpan<string> arguments)
    {
        var text = new StringBuilder(kind).Append(' ').Append(node);
        foreach (var argument in arguments)
        {
            text.Append(' ').Append(argument);
        }

        return text.ToString();
    }

    public static string FormatLeave(string node, long id) => Format(Leave, node, id.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// <paramref name="text"/> as one word of an event: white space, and <paramref name="separator"/>
    /// when the word is itself a field of a word, become '_'; nothing at all becomes "-".
    /// </summary>
    public static string Word(string text, char? separator = null) =>
        text.Length == 0 ? "-" : string.Create(text.Length, (text, separator), static (span, state) =>
        {
            for (var i = 0; i < state.text.Length; i++)
            {
                var c = state.text[i];
                span[i] = char.IsWhiteSpace(c) || c == state.separator ? '_' : c;
            }
        });

    public static string FormatUsers(string node, IEnumerable<ClusterUser> users) =>
        Format(Join, node, [.. users.Select(user => user.Format())]);

    public static bool TryParse(string? text, out PresenceEvent presence)
    {
        var words = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        presence = words.Length >= 2 ? new PresenceEvent(words[0], words[1], words[2..]) : default;
        return words.Length >= 2;
    }

    public long LongArgument(int index) =>
        index < Arguments.Length && long.TryParse(Arguments[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>The ids of a <c>leave</c>.</summary>
    public IEnumerable<long> Ids()
    {
        foreach (var argument in Arguments)
        {
            if (ClusterUser.TryParseId(argument, out var id))
            {
                yield return id;
            }
        }
    }

    /// <summary>The users of a <c>join</c>; a bare id gives a user of whom only the id is known.</summary>
    public IEnumerable<ClusterUser> Users()
    {
        foreach (var argument in Arguments)
        {
            if (ClusterUser.TryParse(argument, out var user))
            {
                yield return user;
            }
        }
    }
}
