using System.Net;
using Chat.Server.Routing;
using Chat.Server.Sessions;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Server.Web;

/// <summary>
/// The door at <c>/ws</c> (PROTOCOL.md, "WebSocket"): accepts the upgrade with the subprotocol the
/// client asked for, then runs an ordinary <see cref="ChatSession"/> over the WebSocket, so that
/// WebSocket users share the registry, the ids, the limits and the drain with everyone else.
/// </summary>
internal sealed class WebSocketGateway
{
    // How long the closing handshake may take before the connection is cut (a client that never reads).
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ChatHub _hub;
    private readonly SessionSettings _settings;
    private readonly ILogger _logger;

    public WebSocketGateway(ChatHub hub, IOptions<ChatServerOptions> options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _hub = hub;
        _settings = SessionSettings.From(options.Value, timeProvider);
        _logger = loggerFactory.CreateLogger("Chat.Server.Session");
    }

    public async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("/ws takes WebSocket connections (subprotocol chat.v1 or chat.v1.json)\n");
            return;
        }

        if (!WebSocketSubprotocols.TryChoose(context.WebSockets.WebSocketRequestedProtocols, out var format, out var subprotocol))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("unknown subprotocol: use chat.v1 or chat.v1.json\n");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol });
        var http = context.Connection;
        var remote = http.RemoteIpAddress is { } address ? new IPEndPoint(address, http.RemotePort) : null;
        var local = http.LocalIpAddress is { } localAddress ? new IPEndPoint(localAddress, http.LocalPort) : null;
        var batching = (context.Features.Get<IHttpUpgradeFeature>() as WriteBatchingUpgrade)?.Stream;
        await using var connection = new WebSocketConnection(socket, batching, format, _settings.MaxFrameLength, $"{http.Id}:ws", remote, local);

        // When the host stops, Kestrel asks its connections to close; the session hears it as from a socket.
        using var stopping = context.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .Register(static state => ((WebSocketConnection)state!).RequestClose(), connection);
        connection.Start();
        var session = new ChatSession(connection, _hub, _settings, _logger, transport: context.Request.IsHttps ? "wss" : "ws");
        await session.RunAsync();
        await connection.CloseAsync(session.CloseReason, CloseTimeout, _settings.TimeProvider);
    }
}
