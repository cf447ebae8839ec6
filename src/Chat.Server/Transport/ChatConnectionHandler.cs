using System.Net.Sockets;
using Chat.Server.Routing;
using Chat.Server.Sessions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>The door from Kestrel's socket transport into our code: one session per connection.</summary>
internal sealed class ChatConnectionHandler : ConnectionHandler
{
    private readonly ChatHub _hub;
    private readonly SessionSettings _settings;
    private readonly ILogger _logger;

    public ChatConnectionHandler(ChatHub hub, IOptions<ChatServerOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _hub = hub;
        _settings = SessionSettings.From(options.Value, timeProvider);
        _logger = loggerFactory.CreateLogger("Chat.Server.Session");
    }

    // Not async: the session's own task is the connection's, so an idle connection holds no state
    // machine of this method.
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        // Keepalive lets the kernel find peers that vanished without a FIN (a pulled cable, a dead NAT entry).
        connection.Features.Get<IConnectionSocketFeature>()?.Socket
            .SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        // The operator's list tells the TLS port's users from the plain port's.
        var transport = connection.Features.Get<ITlsConnectionFeature>() is null ? "tcp" : "tls";
        return new ChatSession(connection, _hub, _settings, _logger, transport).RunAsync();
    }
}
