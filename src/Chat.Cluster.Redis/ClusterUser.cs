using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Chat.Cluster.Redis;

/// <summary>
/// One user as a node tells the others of it, so that an operator on any node can list users of
/// every node: the id, where they connected from, by which door, and since when. What a user moved
/// (messages, bytes, queue) stays on their own node.
/// </summary>
/// <param name="Id">The user's id.</param>
/// <param name="Address">The remote address, as <c>host:port</c>; <c>-</c> when unknown.</param>
/// <param name="Transport">The door they came in by (<c>tcp</c>, <c>ws</c>); <c>-</c> when unknown.</param>
/// <param name="ConnectedAt">When their handshake was accepted, by their node's clock; null when unknown.</param>
public sealed record ClusterUser(long Id, string Address, string Transport, DateTimeOffset? ConnectedAt)
{
    private const char Separator = ',';

    /// <summary>What follows the id: <c>CONNECTED_AT_MS,TRANSPORT,ADDRESS</c>, one word (no spaces).</summary>
    internal string FormatDetails() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{ConnectedAt?.ToUnixTimeMilliseconds() ?? 0}{Separator}{PresenceEvent.Word(Transport, Separator)}{Separator}{PresenceEvent.Word(Address, Separator)}");

    /// <summary>The user as one word of a presence event: <c>ID,CONNECTED_AT_MS,TRANSPORT,ADDRESS</c>.</summary>
    internal string Format() => string.Create(CultureInfo.InvariantCulture, $"{Id}{Separator}{FormatDetails()}");

    /// <summary>Reads what <see cref="Format"/> wrote, or a bare id; false when the word holds no id.</summary>
    internal static bool TryParse(string word, [NotNullWhen(true)] out ClusterUser? user)
    {
        var comma = word.IndexOf(Separator, StringComparison.Ordinal);
        if (!TryParseId(comma < 0 ? word : word[..comma], out var id))
        {
            user = null;
            return false;
        }

        user = ParseDetails(id, comma < 0 ? null : word[(comma + 1)..]);
        return true;
    }

    /// <summary>Reads what <see cref="FormatDetails"/> wrote; whatever is missing or malformed stays unknown.</summary>
    internal static ClusterUser ParseDetails(long id, string? details)
    {
        var parts = details?.Split(Separator, 3) ?? [];
        DateTimeOffset? connectedAt =
            parts.Length > 0 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
        return new ClusterUser(
            id,
            parts.Length > 2 && parts[2].Length > 0 ? parts[2] : "-",
            parts.Length > 1 && parts[1].Length > 0 ? parts[1] : "-",
            connectedAt);
    }

    internal static bool TryParseId(ReadOnlySpan<char> text, out long id) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out id) && id > 0;
}
