using System.Text.Json.Serialization;

namespace Chat.Server.Admin;

/// <summary>
/// What <c>list.users</c> shows: how many are connected, and the first of them. In cluster mode,
/// <see cref="Partial"/> says whether the users of other nodes are only what this node last knew
/// (Redis is unreachable); null when the server runs alone.
/// </summary>
internal sealed record UserList(
    int Total,
    IReadOnlyList<UserView> Users,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Partial = null);
