using Chat.Server.Admin;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>
/// The admin socket's door: one <see cref="AdminSession"/> per console, at most
/// <c>MaxAdminConnections</c> at once; a console past the limit gets one error reply that says
/// so. Kestrel's own connection limit would close it without a word. It reaches the hub only
/// through the commands and never touches a chat connection.
/// </summary>
internal sealed class AdminConnectionHandler : ConnectionHandler
{
    private readonly CommandDispatcher _dispatcher;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxConnections;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger<AdminConnectionHandler> _logger;
    private int _open;

    public AdminConnectionHandler(CommandDispatcher dispatcher, IOptions<ChatServerOptions> options, TimeProvider timeProvider, ILogger<AdminConnectionHandler> logger)
    {
        _dispatcher = dispatcher;
        _timeProvider = timeProvider;
        _maxConnections = options.Value.MaxAdminConnections;
        _idleTimeout = options.Value.AdminIdleTimeout;
        _logger = logger;
    }

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var session = new AdminSession(connection, _dispatcher, _timeProvider, _idleTimeout, _logger);
        try
        {
            if (Interlocked.Increment(ref _open) > _maxConnections)
            {
                await session.RefuseAsync($"too many admin consoles are open (the limit is {_maxConnections}); try again later");
            }
            else
            {
                await session.RunAsync();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
