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
        var session = new ChatSession(connection, hub, settings, NullLogger.Instance);

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
}
