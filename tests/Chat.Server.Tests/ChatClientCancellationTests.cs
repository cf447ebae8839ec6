using System.Net;
using System.Net.Sockets;
using Chat.Client;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>Every awaitable of the .NET client library can be cancelled, and leaves the client in a sound state.</summary>
public class ChatClientCancellationTests
{
    [Fact]
    public async Task CancellingAReceiveLeavesTheClientUsable()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port);
        using var cancel = new CancellationTokenSource();

        var pending = client.ReceiveAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await client.SendAsync(0, "still here");
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        Assert.Equal("still here", (await client.ReceiveAsync(deadline.Token))?.Msg);
    }

    [Fact]
    public async Task CancellingReadAllEndsTheEnumeration()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await ChatClient.ConnectAsync("127.0.0.1", server.EndPoint.Port);
        using var cancel = new CancellationTokenSource();
        await client.SendAsync(0, "one");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var message in client.ReadAllAsync(cancel.Token))
            {
                Assert.Equal("one", message.Msg);
                await cancel.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task CancellingConnectWhileTheServerIsSilentThrowsOperationCanceled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var cancel = new CancellationTokenSource();

        var connecting = ChatClient.ConnectAsync("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port, cancellationToken: cancel.Token);
        using var accepted = await silent.AcceptSocketAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting);
    }

    [Fact]
    public async Task ASilentServerMakesConnectTimeOutWithATimeoutException()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = new ChatClientOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200) };

        var connecting = ChatClient.ConnectAsync("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port, options);
        using var accepted = await silent.AcceptSocketAsync();

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => connecting);
        Assert.Contains("handshake", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASendCancelledMidFrameClosesTheConnectionInsteadOfCorruptingTheStream()
    {
        // A peer that accepts the client and never reads, so the client's sends back up.
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        var connecting = ChatClient.ConnectAsync("127.0.0.1", ((IPEndPoint)stalled.LocalEndpoint).Port);
        using var peer = await stalled.AcceptSocketAsync();
        await peer.SendAsync(FrameWriter.ToFrame(new Handshake { Id = 1 }));
        await using var client = await connecting;
        var text = new string('x', 60_000);

        using var cancel = new CancellationTokenSource();
        Task pending;
        do
        {
            pending = client.SendAsync(0, text, cancel.Token);
        }
        while (pending.IsCompletedSuccessfully);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        await Assert.ThrowsAsync<IOException>(() => client.SendAsync(0, "after the cut", deadline.Token));
    }
}
