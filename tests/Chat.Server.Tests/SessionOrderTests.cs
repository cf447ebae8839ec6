using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using Chat.Protocol;
using Chat.Server.Routing;
using Chat.Server.Sessions;
using Google.Protobuf;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Server.Tests;

/// <summary>A session against in-memory pipes and a hub that watches what it is asked, and when.</summary>
public class SessionOrderTests
{
    [Fact]
    public async Task UserJoinsBeforeItsHandshakeLeavesTheServer()
    {
        var fromClient = new Pipe();
        var toClient = new Pipe();
        var connection = new DefaultConnectionContext("test", new Duplex(fromClient.Reader, toClient.Writer), new Duplex(toClient.Reader, fromClient.Writer));
        var hub = new WatchingHub(toClient.Reader);
        var settings = new SessionSettings(FrameLimits.DefaultMaxBodyLength, 1024 * 1024, 0, 1, TimeSpan.FromSeconds(10), TimeProvider.System);
        using var session = new ChatSession(connection, hub, settings, NullLogger.Instance);

        var running = session.RunAsync();
        var handshake = await toClient.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        toClient.Reader.AdvanceTo(handshake.Buffer.End);
        await fromClient.Writer.CompleteAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(1, hub.Joins);
        Assert.Equal(0, hub.BytesSentBeforeJoin);
        Assert.True(handshake.Buffer.Length > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeliveriesReachTheRecipientsBeforeTheEchoReachesTheSender(bool broadcast)
    {
        // Routed from the test's thread, outside any read loop: each Deliver drains at once on this
        // thread, so the order of the flushes is the order in which the router queued the frames.
        var flushes = new ConcurrentQueue<string>();
        var hub = new RoutingHub();
        var sender = new PipedSession(hub, "sender", flushes);
        var first = new PipedSession(hub, "first", flushes);
        var second = new PipedSession(hub, "second", flushes);
        flushes.Clear();

        var message = new ChatMessage { To = broadcast ? MessageRouter.Everyone : first.Session.Id, Msg = "in order" };
        hub.Route(sender.Session, new ReadOnlySequence<byte>(message.ToByteArray()));

        Assert.Equal(broadcast ? ["first", "second", "sender"] : ["first", "sender"], flushes.ToArray());
        foreach (var piped in new[] { sender, first, second })
        {
            await piped.DisposeAsync();
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    // Records, at Join, how many bytes the client could already read: the handshake must not be among them.
    private sealed class WatchingHub(PipeReader client) : ISessionHub
    {
        public int Joins { get; private set; }

        public long BytesSentBeforeJoin { get; private set; } = -1;

        public Admission Admit(ChatSession session) => Admission.Accept(1);

        public void Join(ChatSession session)
        {
            Joins++;
            BytesSentBeforeJoin = 0;
            if (client.TryRead(out var result))
            {
                BytesSentBeforeJoin = result.Buffer.Length;
                client.AdvanceTo(result.Buffer.Start);
            }
        }

        public void Route(ChatSession sender, in ReadOnlySequence<byte> body)
        {
        }

        public void Leave(ChatSession session)
        {
        }
    }

    // A real hub's routing (registry and router) without admission limits.
    private sealed class RoutingHub : ISessionHub
    {
        private readonly ConnectionRegistry _registry = new();
        private readonly MessageRouter _router;
        private long _lastId;

        public RoutingHub() => _router = new MessageRouter(_registry);

        public Admission Admit(ChatSession session) => Admission.Accept(Interlocked.Increment(ref _lastId));

        public void Join(ChatSession session) => _registry.Add(session);

        public void Route(ChatSession sender, in ReadOnlySequence<byte> body) => _router.Route(sender, body);

        public void Leave(ChatSession session) => _registry.Remove(session);
    }

    // A running session over in-memory pipes whose flushes are logged by name. The handshake is
    // flushed and the writer handed over before RunAsync first yields, so it is ready on return.
    private sealed class PipedSession : IAsyncDisposable
    {
        private readonly Pipe _fromClient = new();
        private readonly Task _running;

        public PipedSession(ISessionHub hub, string name, ConcurrentQueue<string> flushes)
        {
            var toClient = new Pipe();
            var output = new RecordingWriter(toClient.Writer, name, flushes);
            var connection = new DefaultConnectionContext(name, new Duplex(_fromClient.Reader, output), new Duplex(toClient.Reader, _fromClient.Writer));
            var settings = new SessionSettings(FrameLimits.DefaultMaxBodyLength, 1024 * 1024, 0, 1, TimeSpan.FromSeconds(10), TimeProvider.System);
            Session = new ChatSession(connection, hub, settings, NullLogger.Instance);
            _running = Session.RunAsync();
        }

        public ChatSession Session { get; }

        public async ValueTask DisposeAsync()
        {
            await _fromClient.Writer.CompleteAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(15));
            Session.Dispose();
        }
    }

    private sealed class RecordingWriter(PipeWriter inner, string name, ConcurrentQueue<string> flushes) : PipeWriter
    {
        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            flushes.Enqueue(name);
            return inner.FlushAsync(cancellationToken);
        }
    }
}
