using System.Globalization;
using Chat.Server.Routing;
using Chat.Server.Sessions;

namespace Chat.Server.Admin;

/// <summary>Finds the user a command names, or says plainly that there is none.</summary>
internal static class ConnectedUser
{
    public static ChatSession Find(ChatHub hub, long id) =>
        hub.Registry.TryGet(id, out var session)
            ? session
            : throw new CommandException(string.Create(CultureInfo.InvariantCulture, $"no user {id} is connected"));
}
