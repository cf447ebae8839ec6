using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol;
using Chat.TestKit;
using Google.Protobuf;

namespace Chat.Server.Tests;

/// <summary>
/// A stand-in for a chat server that misbehaves on purpose, for client tests: it listens on
/// 127.0.0.1 and a free port, accepts one connection, and sends only what the test tells it to.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private Socket? _connection;

    private FakeServer(TcpListener listener)
    {
        _listener = listener;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static FakeServer Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new FakeServer(listener);
    }

    /// <summary>Waits for the client to connect.</summary>
    public async Task AcceptAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            _connection = await _listener.AcceptSocketAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the client did not connect in time");
        }
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        await Connection.SendAsync(bytes, SocketFlags.None, deadline.Token);
    }

    /// <summary>Sends one well-formed frame holding <paramref name="message"/>.</summary>
    public Task SendFrameAsync(IMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteFrame(buffer, message);
        return SendAsync(buffer.WrittenSpan.ToArray());
    }

    /// <summary>Reads one frame the client sent; fails if none comes in time.</summary>
    public async Task<ChatMessage> ReceiveMessageAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        var received = new List<byte>();
        var chunk = new byte[4096];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(received.ToArray());
            if (FrameReader.TryReadFrame(ref sequence, FrameLimits.DefaultMaxBodyLength, out var body))
            {
                return ChatMessage.Parser.ParseFrom(body);
            }

            var count = await Connection.ReceiveAsync(chunk, SocketFlags.None, deadline.Token);
            if (count == 0)
            {
                throw new InvalidOperationException("the client closed the connection instead of sending a message");
            }

            received.AddRange(chunk.AsSpan(0, count));
        }
    }

    /// <summary>Waits until the client closes its side of the connection (it gave up, or left).</summary>
    public async Task WaitForClientToCloseAsync()
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        var chunk = new byte[4096];
        try
        {
            while (await Connection.ReceiveAsync(chunk, SocketFlags.None, deadline.Token) > 0)
            {
                // Whatever the client still sends is of no interest; only its end is.
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("the client did not close its connection in time");
        }
        catch (SocketException)
        {
            // A reset ends the connection too.
        }
    }

    /// <summary>Closes the accepted connection, as a server that goes away does.</summary>
    public void CloseConnection() => Connection.Dispose();

    public ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    private Socket Connection => _connection ?? throw new InvalidOperationException("no client has connected yet");
}
