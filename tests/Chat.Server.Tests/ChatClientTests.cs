using Chat.Client;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The .NET client library against a real server.</summary>
public class ChatClientTests
{
    [Fact]
    public async Task ConnectReturnsTheAssignedIdAndSendIsEchoed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port);

        await client.SendAsync(0, "hi");
        var echo = await client.ReceiveAsync();

        Assert.True(client.Id > 0);
        Assert.Equal((client.Id, 0L, "hi"), (echo!.From, echo.To, echo.Msg));
    }

    [Fact]
    public async Task RefusalIsATypedExceptionWithItsCodeAndRetryHint()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "1" });
        await using var occupant = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port);

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port));

        Assert.Equal(Refusal.ServerFull, refused.Refusal);
        Assert.Contains("full", refused.Reason, StringComparison.Ordinal);
        Assert.True(refused.RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task AHandshakeThatNeitherRefusesNorAssignsAnIdIsAProtocolViolation()
    {
        await using var server = FakeServer.Start();
        var connecting = ChatClient.ConnectAsync("127.0.0.1", server.Port);
        await server.AcceptAsync();

        await server.SendFrameAsync(new Handshake { Id = 0, Error = false });

        var violation = await Assert.ThrowsAsync<ProtocolViolationException>(() => connecting);
        Assert.Contains("(id 0)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendingFromManyTasksAtOnceKeepsEveryFrameWhole()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(task => Task.Run(async () =>
        {
            for (var index = 0; index < 100; index++)
            {
                await client.SendAsync(0, $"{task}:{index}");
            }
        })));
        var received = new List<string>();
        await foreach (var message in client.ReadAllAsync())
        {
            received.Add(message.Msg);
            if (received.Count == 1000)
            {
                break;
            }
        }

        Assert.Equal(1000, received.Distinct().Count());
        foreach (var task in Enumerable.Range(0, 10))
        {
            var mine = received.Where(text => text.StartsWith($"{task}:", StringComparison.Ordinal)).ToList();
            Assert.Equal(Enumerable.Range(0, 100).Select(index => $"{task}:{index}"), mine);
        }
    }

    [Fact]
    public async Task ReadAllEndsWhenTheServerClosesTheConnection()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port);

        server.RequestShutdown(TimeSpan.Zero);
        var received = new List<ChatMessage>();
        await foreach (var message in client.ReadAllAsync())
        {
            received.Add(message);
        }

        Assert.Contains(received, message => message.From == 0);
    }
}
