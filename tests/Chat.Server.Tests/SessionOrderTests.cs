using System.Buffers;
using System.IO.Pipelines;
using Chat.Protocol;
using Chat.Server.Sessions;
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
}
