using Chat.Server.Admin;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Chat.Server.Transport;

/// <summary>
/// The admin socket's door: one <see cref="AdminSession"/> per console. It reaches the hub only
/// through the commands and never touches a chat connection.
/// </summary>
internal sealed class AdminConnectionHandler : ConnectionHandler
{
    private readonly CommandDispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AdminConnectionHandler> _logger;

    public AdminConnectionHandler(CommandDispatcher dispatcher, TimeProvider timeProvider, ILogger<AdminConnectionHandler> logger)
    {
        _dispatcher = dispatcher;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public override Task OnConnectedAsync(ConnectionContext connection) =>
        new AdminSession(connection, _dispatcher, _timeProvider, _logger).RunAsync();
}
