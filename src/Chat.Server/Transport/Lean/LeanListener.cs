using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Transport.Lean;

/// <summary>Accepts connections on the chat port for the lean transport.</summary>
internal sealed class LeanListener(Socket socket, bool inlineCompletions) : IConnectionListener
{
    private long _lastId;

    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await socket.AcceptAsync(cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                // Unbound: Kestrel reads null as "no more connections".
                return null;
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (SocketException)
            {
                // The peer reset the connection before it was accepted: take the next one.
                continue;
            }

            accepted.NoDelay = true;
            return new LeanConnection(accepted, Interlocked.Increment(ref _lastId), inlineCompletions);
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
