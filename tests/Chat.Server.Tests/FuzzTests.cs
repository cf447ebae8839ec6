using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>Garbage over raw sockets only ever hurts the connection that sent it.</summary>
public class FuzzTests
{
    [Fact]
    public async Task RandomAndMutatedBytesNeverHurtTheServerOrAHealthyClient()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var server = await TestServer.StartAsync();
        await using var healthy = await server.ConnectAsync();
        var valid = Enumerable.Range(0, 20)
            .SelectMany(index => FrameWriter.ToFrame(new ChatMessage { To = index % 3 == 0 ? -1 : index, Msg = $"message {index}" }))
            .ToArray();

        for (var round = 0; round < 25; round++)
        {
            var sessions = Enumerable.Range(0, 12).Select(index => FuzzOneAsync(server, index % 2 == 0 ? RandomBytes(random) : Mutate(random, valid)));
            await Task.WhenAll(sessions);
        }

        await server.WaitForUserCountAsync(1);
        Assert.Equal("1", server.RunCommand("num.users"));
        await healthy.SendAsync(healthy.Id, $"still chatting (seed {seed})");
        var echo = await ReceiveOwnAsync(healthy);
        Assert.Equal($"still chatting (seed {seed})", echo.Msg);
        await using var newcomer = await server.ConnectAsync();
        Assert.True(newcomer.Id > 0);
    }

    private static async Task FuzzOneAsync(TestServer server, byte[] bytes)
    {
        await using var connection = await server.ConnectRawAsync();
        await connection.ReceiveHandshakeAsync();
        try
        {
            await connection.SendRawAsync(bytes);
        }
        catch (IOException)
        {
            // The server may already have closed on the first bad byte.
        }
    }

    // Whatever the fuzzers broadcast reaches the healthy client too; skip it.
    private static async Task<ChatMessage> ReceiveOwnAsync(TestConnection connection)
    {
        while (true)
        {
            var message = await connection.ReceiveMessageAsync();
            if (message.From == connection.Id)
            {
                return message;
            }
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 3000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = valid.ToList();
        for (var mutation = random.Next(1, 8); mutation > 0; mutation--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
