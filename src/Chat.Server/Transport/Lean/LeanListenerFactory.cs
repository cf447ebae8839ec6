using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Transport.Lean;

/// <summary>
/// Kestrel's transport for the chat port when <c>Chat:LeanTransport</c> is set: sockets that wait
/// for data with zero-byte receives and hold no buffer or pipe while idle (docs/BENCHMARKS.md,
/// "Idle memory"). Kestrel asks the factories registered last first; this one binds only a
/// <see cref="LeanEndPoint"/>.
/// </summary>
internal sealed class LeanListenerFactory(bool inlineCompletions) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    // Kestrel's default backlog.
    private const int Backlog = 512;

    public bool CanBind(EndPoint endpoint) => endpoint is LeanEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var address = (IPEndPoint)endpoint;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(address);
            socket.Listen(Backlog);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(exception.Message, exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return ValueTask.FromResult<IConnectionListener>(new LeanListener(socket, inlineCompletions));
    }
}
