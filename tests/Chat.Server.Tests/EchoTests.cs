using Chat.Client;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

public class EchoTests
{
    [Fact]
    public async Task EchoCarriesTheSendersIdWhateverTheClientClaimed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();

        await client.SendAsync(to: 0, "hello", from: 999);
        var echo = await client.ReceiveMessageAsync();

        Assert.Equal(client.Id, echo.From);
        Assert.Equal(0, echo.To);
        Assert.Equal("hello", echo.Msg);
    }

    [Fact]
    public async Task ThousandPipelinedMessagesComeBackInOrderExactlyOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();

        var sending = Task.Run(async () =>
        {
            for (var index = 0; index < 1000; index++)
            {
                await client.SendAsync(0, $"message {index}");
            }
        });
        var received = new List<string>();
        for (var index = 0; index < 1000; index++)
        {
            received.Add((await client.ReceiveMessageAsync()).Msg);
        }

        await sending;
        Assert.Equal(Enumerable.Range(0, 1000).Select(index => $"message {index}"), received);
        Assert.Empty(await client.BarrierAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("héllo wörld ✓ 你好 🎉")]
    public async Task EmptyAndMultiByteMessagesComeBackUnchanged(string text)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();

        await client.SendAsync(0, text);

        Assert.Equal(text, (await client.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task SixtyKilobyteMessageComesBackWhole()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var text = string.Concat(Enumerable.Range(0, 60 * 1024).Select(index => (char)('a' + (index % 26))));

        await client.SendAsync(0, text);

        Assert.Equal(text, (await client.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task BodyOfExactlyTheLimitReachesBothClientsWithTheStampedBytesOnTop()
    {
        await using var server = await TestServer.StartAsync();
        // The strictest conforming client: the limit plus the 11 bytes a stamped `from` may add.
        var strict = new ChatClientOptions { MaxIncomingFrameLength = FrameLimits.DefaultMaxBodyLength + 11 };
        await using var sender = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port, strict);
        await using var recipient = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port, strict);
        var message = new ChatMessage { To = recipient.Id, Msg = string.Empty };
        message.Msg = new string('m', FrameLimits.DefaultMaxBodyLength - message.CalculateSize() - 4); // a tag and a 3-byte length
        Assert.Equal(FrameLimits.DefaultMaxBodyLength, message.CalculateSize());

        await sender.SendAsync(message.To, message.Msg);

        foreach (var client in new[] { recipient, sender })
        {
            var received = await client.ReceiveAsync().AsTask().WaitAsync(TestTimeouts.Default);
            Assert.NotNull(received);
            Assert.Equal(sender.Id, received.From);
            Assert.Equal(message.Msg, received.Msg);
            Assert.True(received.CalculateSize() > FrameLimits.DefaultMaxBodyLength);
        }
    }
}
