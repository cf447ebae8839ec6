using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// A client's own echoes slow it down and never make it a slow consumer (PROTOCOL.md,
/// "Conversation" 5): past a high-water mark its read loop waits, so TCP pushes back on it.
/// </summary>
public class EchoBackPressureTests
{
    private const int Runs = 20;
    private const int Broadcasts = 40_000;
    private const int MessageLength = 1_000;
    private const string QueueBound = "16777216";

    [Fact]
    public async Task SenderThatReadsItsEchoesGetsThemAllWhileTheUserWhoNeverReadsIsCutOff()
    {
        // A server process of its own, as users run it: its threads serve only it, never the test's
        // clients. Queues of 16 MiB, so the reader has room when the machine is busy: its writes can
        // then fall megabytes behind the sender's echoes for a moment (measured), more than the
        // default 1 MiB absorbs. The burst is still far larger than that bound.
        await using var server = ProgramProcess.Start(
            "chat-server",
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["Chat__MaxQueuedBytesPerConnection"] = QueueBound },
            "--host", "127.0.0.1", "--port", "0");
        var endPoint = await ServerProcessTests.WaitForListeningAsync(server);
        var burst = EncodeBurst();
        for (var run = 0; run < Runs; run++)
        {
            await using var stalled = await ConnectAsync(endPoint);
            stalled.Socket.ReceiveBufferSize = 4096;
            await using var sender = await ConnectAsync(endPoint);
            await using var reader = await ConnectAsync(endPoint);

            // The sender pipelines 40 MB while it reads its echoes, 4 KB at a time; the reader keeps up.
            var echoes = ExpectInOrderAsync(sender, sender.Id, $"run {run}: echoes");
            var copies = ReadOnItsOwnThreadAsync(reader, sender.Id, $"run {run}: broadcasts");
            await sender.SendRawAsync(burst);
            await Task.WhenAll(echoes, copies);

            await stalled.ExpectClosedAsync();
            await server.WriteLineAsync("closed.users 1 --json");
            var closed = JsonDocument.Parse(await server.ReadOutputLineAsync()).RootElement.EnumerateArray().Single();
            Assert.Equal((stalled.Id, "SlowConsumer"), (closed.GetProperty("id").GetInt64(), closed.GetProperty("reason").GetString()));
        }
    }

    private static async Task<TestConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var connection = await TestConnection.ConnectAsync(endPoint);
        Assert.False((await connection.ReceiveHandshakeAsync()).Error);
        return connection;
    }

    // Reads every broadcast of the burst from `from`, in order, exactly once; fails on anything else.
    private static async Task ExpectInOrderAsync(TestConnection connection, long from, string what)
    {
        for (var expected = 0; expected < Broadcasts; expected++)
        {
            var message = await connection.ReceiveMessageAsync();
            Assert.True(message.From == from, $"{what}: after {expected} of {Broadcasts}, a message from {message.From}: {message.Msg}");
            Assert.Equal(expected, int.Parse(message.Msg.AsSpan(0, 6), CultureInfo.InvariantCulture));
        }
    }

    // A reader with a thread of its own, blocking on the socket in large reads, as a client in a
    // process of its own reads. Nothing was sent to it since its handshake, so its test connection
    // holds nothing more in its buffer.
    private static Task ReadOnItsOwnThreadAsync(TestConnection connection, long from, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                ReadBlocking(connection.Socket, from, what);
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        })
        { IsBackground = true, Name = "blocking-reader" };
        thread.Start();
        return done.Task;
    }

    private static void ReadBlocking(Socket socket, long from, string what)
    {
        socket.ReceiveTimeout = (int)TestTimeouts.Default.TotalMilliseconds;
        var buffer = new byte[1024 * 1024];
        var filled = 0;
        var expected = 0;
        while (expected < Broadcasts)
        {
            var received = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            Assert.True(received > 0, $"{what}: the server closed the connection after {expected} of {Broadcasts}");
            filled += received;
            var unread = new ReadOnlySequence<byte>(buffer, 0, filled);
            while (FrameReader.TryReadFrame(ref unread, buffer.Length, out var body))
            {
                var message = ChatMessage.Parser.ParseFrom(body);
                Assert.True(message.From == from, $"{what}: after {expected} of {Broadcasts}, a message from {message.From}: {message.Msg}");
                Assert.Equal(expected, int.Parse(message.Msg.AsSpan(0, 6), CultureInfo.InvariantCulture));
                expected++;
            }

            Buffer.BlockCopy(buffer, filled - (int)unread.Length, buffer, 0, (int)unread.Length);
            filled = (int)unread.Length;
        }
    }

    private static byte[] EncodeBurst()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var padding = new string('b', MessageLength - 6);
        for (var index = 0; index < Broadcasts; index++)
        {
            FrameWriter.WriteFrame(buffer, new ChatMessage { To = -1, Msg = index.ToString("D6", CultureInfo.InvariantCulture) + padding });
        }

        return buffer.WrittenSpan.ToArray();
    }
}
