using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Chat.Protocol;
using Google.Protobuf;

namespace Chat.Conform.Tests.Faulty;

/// <summary>
/// A small chat server for the suite's own tests, on 127.0.0.1 and a free port. It keeps the
/// contract (handshake, echo, routing, notices, limits, slow consumers, drain) except for the one
/// <see cref="Fault"/> it is given, so that a check can be shown to fail on exactly its rule.
/// </summary>
public sealed partial class FaultyServer : IAsyncDisposable
{
    public const int MaxBodyLength = FrameLimits.DefaultMaxBodyLength;

    private static readonly TimeSpan DrainPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EchoFirstDelay = TimeSpan.FromMilliseconds(300);

    private readonly Socket _listener;
    private readonly Fault _fault;
    private readonly int _maxUsers;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, FaultySession> _users = [];
    private readonly List<Task> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private long _lastId;
    private int _refused;
    private bool _shuttingDown;

    private FaultyServer(Fault fault, int maxUsers)
    {
        _fault = fault;
        _maxUsers = maxUsers;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Completes once a shutdown has closed every connection: the "process" has ended.</summary>
    public Task Exited => _exited.Task;

    public static FaultyServer Start(Fault fault, int maxUsers) => new(fault, maxUsers);

    /// <summary>Starts a graceful shutdown, as SIGTERM does: refusals, a notice, a drain, then every connection closes.</summary>
    public void BeginShutdown()
    {
        List<FaultySession> users;
        lock (_gate)
        {
            _shuttingDown = true;
            users = [.. _users.Values];
        }

        if (_fault != Fault.ShutdownWithoutNotice)
        {
            foreach (var user in users)
            {
                user.Enqueue(Frame(new ChatMessage { To = user.Id, Msg = "the server is shutting down" }), unbounded: true);
            }
        }

        _ = Task.Run(async () =>
        {
            if (_fault != Fault.ShutdownClosesAtOnce)
            {
                await Task.Delay(DrainPeriod);
            }

            lock (_gate)
            {
                users = [.. _users.Values];
            }

            foreach (var user in users)
            {
                if (_fault == Fault.ShutdownClosesAtOnce)
                {
                    user.Abort();
                }
                else
                {
                    user.Complete();
                }
            }

            await Task.WhenAll(users.Select(user => user.Writer));
            await _stopping.CancelAsync();
            _listener.Dispose();
            _exited.TrySetResult();
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        lock (_gate)
        {
            foreach (var user in _users.Values)
            {
                user.Abort();
            }
        }

        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections, _acceptLoop];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptAsync(_stopping.Token);
                socket.NoDelay = true;
                lock (_connections)
                {
                    _connections.Add(Task.Run(() => ServeAsync(socket)));
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        // Once a session holds the socket, its writer closes it; until then, this method does.
        var handedOver = false;
        try
        {
            if (await MisbehaveFromTheStartAsync(socket))
            {
                return;
            }

            var (session, refusal) = Admit(socket);
            if (session is null)
            {
                await socket.SendAsync(Frame(refusal!), SocketFlags.None, _stopping.Token);
                socket.Shutdown(SocketShutdown.Send);
                return;
            }

            handedOver = true;
            try
            {
                await ReadLoopAsync(session);
            }
            finally
            {
                Leave(session);
                await session.Writer;
                session.Dispose();
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the server stopped.
        }
        finally
        {
            if (!handedOver)
            {
                socket.Dispose();
            }
        }
    }

    // The faults that break the conversation from its first byte. True when the connection is done with.
    private async Task<bool> MisbehaveFromTheStartAsync(Socket socket)
    {
        switch (_fault)
        {
            case Fault.NoHandshake:
                await DiscardUntilClosedAsync(socket);
                return true;
            case Fault.TextInsteadOfHandshake:
                await socket.SendAsync("HELLO, you are user 1\n"u8.ToArray(), SocketFlags.None, _stopping.Token);
                await DiscardUntilClosedAsync(socket);
                return true;
            case Fault.ClosesAtOnce:
                socket.Dispose();
                return true;
            case Fault.AnnouncesTwoGigabyteFrame:
                await socket.SendAsync(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x08, 0x08, 0x01 }, SocketFlags.None, _stopping.Token);
                await DiscardUntilClosedAsync(socket);
                return true;
            case Fault.FloodsFrames:
                await FloodAsync(socket);
                return true;
            default:
                return false;
        }
    }

    private async Task DiscardUntilClosedAsync(Socket socket)
    {
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token) > 0)
        {
        }
    }

    // A handshake, then frames as fast as the socket takes them, until the client goes.
    private async Task FloodAsync(Socket socket)
    {
        await socket.SendAsync(Frame(new Handshake { Id = 1 }), SocketFlags.None, _stopping.Token);
        var flood = new ArrayBufferWriter<byte>();
        while (flood.WrittenCount < 64 * 1024)
        {
            FrameWriter.WriteFrame(flood, new ChatMessage { To = 1, Msg = "flood" });
        }

        while (true)
        {
            await socket.SendAsync(flood.WrittenMemory, SocketFlags.None, _stopping.Token);
        }
    }

    private (FaultySession? Session, Handshake? Refusal) Admit(Socket socket)
    {
        FaultySession session;
        List<FaultySession> others;
        lock (_gate)
        {
            if (_shuttingDown && _fault != Fault.ShutdownAcceptsNewcomers)
            {
                return (null, new Handshake { Error = true, Reason = "the server is shutting down", Refusal = Refusal.ShuttingDown });
            }

            var counted = _users.Count + (_fault == Fault.CountsRefusedClients ? _refused : 0);
            if (counted >= _maxUsers && _fault != Fault.NoRefusal)
            {
                _refused++;
                return (null, _fault == Fault.RefusalWithoutCode
                    ? new Handshake { Error = true, Reason = "full" }
                    : new Handshake { Error = true, Reason = "the server is full", Refusal = Refusal.ServerFull, RetryAfterMs = 1000 });
            }

            session = new FaultySession(socket, AllocateId());
            others = [.. _users.Values];
            _users[session.Id] = session;
        }

        session.Enqueue(Frame(new Handshake { Id = session.Id }), unbounded: true);
        if (_fault == Fault.JoinNotices)
        {
            foreach (var other in others)
            {
                other.Enqueue(Frame(new ChatMessage { To = other.Id, Msg = $"user {session.Id} joined" }), unbounded: true);
            }
        }

        return (session, null);
    }

    private long AllocateId() => _fault switch
    {
        Fault.SameIdForEveryone => 1,
        Fault.ReusesIds => Enumerable.Range(1, int.MaxValue).First(candidate => !_users.ContainsKey(candidate)),
        _ => ++_lastId,
    };

    private void Leave(FaultySession session)
    {
        lock (_gate)
        {
            if (_users.TryGetValue(session.Id, out var current) && current == session)
            {
                _users.Remove(session.Id);
            }
        }

        session.Complete();
    }

    // Every frame the server sends: the contract's varint prefix, or the 4-byte length of that fault.
    private byte[] Frame(IMessage message)
    {
        if (_fault != Fault.FourByteLengthPrefix)
        {
            return FrameWriter.ToFrame(message);
        }

        var body = message.ToByteArray();
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }
}
