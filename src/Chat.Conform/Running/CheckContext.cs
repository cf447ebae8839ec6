using Chat.Conform.Wire;

namespace Chat.Conform.Running;

/// <summary>
/// What one check works with: the settings, the server's process when given, and the connections
/// it opens, which are all closed when the check ends, whatever happened.
/// </summary>
internal sealed class CheckContext : IAsyncDisposable
{
    // A server may stamp up to 11 bytes onto a client's largest frame (PROTOCOL.md, "Transport and framing").
    private const int ServerFrameAllowance = 64;

    private readonly List<ServerConnection> _connections = [];

    public CheckContext(ConformSettings settings, IServerProcess? serverProcess)
    {
        Settings = settings;
        ServerProcess = serverProcess;
    }

    public ConformSettings Settings { get; }

    public IServerProcess? ServerProcess { get; }

    public TimeSpan Timeout => Settings.Timeout;

    /// <summary>
    /// Connects, and reads nothing yet. <paramref name="name"/> is how failures call it ("user A");
    /// <paramref name="receiveBufferSize"/> makes the socket buffer small, for a client that plays a slow reader.
    /// </summary>
    public async Task<ServerConnection> ConnectAsync(string name, CancellationToken cancellationToken, int? receiveBufferSize = null)
    {
        var connection = await ServerConnection.ConnectAsync(
            Settings.EndPoint, name, Settings.MaxFrameLength + ServerFrameAllowance, Timeout, receiveBufferSize, cancellationToken);
        _connections.Add(connection);
        return connection;
    }

    /// <summary>Connects and expects an accepted handshake; the connection then knows its id.</summary>
    public async Task<ServerConnection> JoinAsync(string name, CancellationToken cancellationToken, int? receiveBufferSize = null)
    {
        var connection = await ConnectAsync(name, cancellationToken, receiveBufferSize);
        await connection.ExpectAcceptedAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _connections.Clear();
    }
}
