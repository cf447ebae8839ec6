namespace Chat.Server.Admin;

/// <summary>What <c>list.users</c> shows: how many are connected, and the first of them.</summary>
internal sealed record UserList(int Total, IReadOnlyList<UserView> Users);
