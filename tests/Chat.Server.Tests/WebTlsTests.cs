using System.Net;
using System.Text.Json;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// With TLS on, the HTTP listener's one port serves https and wss beside http and ws, with the chat
/// port's certificate (PROTOCOL.md, "WebSocket").
/// </summary>
public sealed class WebTlsTests : IDisposable
{
    private readonly TestCertificateFiles _files = TestCertificateFiles.CreateSelfSigned();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ThePageIsServedOverHttpsAndHttpOnTheSamePort()
    {
        await using var server = await TestServer.StartAsync(Settings());
        using var client = HttpClientTrusting(_files.Thumbprint);

        var secure = await client.GetAsync(new Uri($"https://{server.HttpEndPoint}/"));
        var plain = await client.GetAsync(new Uri($"http://{server.HttpEndPoint}/"));

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(await plain.Content.ReadAsStringAsync(), await secure.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WssAndWsAndTlsAndTcpUsersChatAndTheOperatorSeesWhichIsWhich()
    {
        await using var server = await TestServer.StartAsync(Settings());
        await using var wss = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1", _files.Thumbprint);
        await using var ws = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1");
        Assert.False((await wss.ReceiveHandshakeAsync()).Error);
        Assert.False((await ws.ReceiveHandshakeAsync()).Error);
        await using var tls = await server.ConnectTlsAsync();
        await using var tcp = await server.ConnectAsync();

        await wss.SendAsync(-1, "from wss");
        Assert.Equal("from wss", (await wss.ReceiveMessageAsync()).Msg);
        Assert.Equal((wss.Id, "from wss"), Received(await ws.ReceiveMessageAsync()));
        Assert.Equal((wss.Id, "from wss"), Received(await tls.ReceiveMessageAsync()));
        Assert.Equal((wss.Id, "from wss"), Received(await tcp.ReceiveMessageAsync()));
        await tcp.SendAsync(wss.Id, "to wss");
        Assert.Equal((tcp.Id, "to wss"), Received(await wss.ReceiveMessageAsync()));

        using var users = JsonDocument.Parse(server.RunCommand("list.users --json"));
        var transports = users.RootElement.GetProperty("users").EnumerateArray()
            .ToDictionary(user => user.GetProperty("id").GetInt64(), user => user.GetProperty("transport").GetString());
        Assert.Equal("wss", transports[wss.Id]);
        Assert.Equal("ws", transports[ws.Id]);
        Assert.Equal("tls", transports[tls.Id]);
        Assert.Equal("tcp", transports[tcp.Id]);
    }

    [Fact]
    public async Task ASilentOrStalledConnectionOnTheHttpPortIsClosedAfterTheHandshakeTimeout()
    {
        var settings = Settings();
        settings["Chat:HandshakeTimeout"] = "00:00:00.5";
        await using var server = await TestServer.StartAsync(settings);
        await using var silent = await TestConnection.ConnectAsync(server.HttpEndPoint);
        await using var stalled = await TestConnection.ConnectAsync(server.HttpEndPoint);
        // A TLS record header announcing a 512-byte ClientHello, and only the first bytes of it.
        await stalled.SendRawAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03 });

        // Meanwhile others are served.
        await using var wss = await TestWebSocket.ConnectAsync(server.HttpEndPoint, "chat.v1", _files.Thumbprint);
        Assert.False((await wss.ReceiveHandshakeAsync()).Error);

        // The test's default wait is 15 s, Kestrel's own timeouts 10 s or more: closing within 5 s is our setting.
        Assert.Empty(await silent.ExpectClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Empty(await stalled.ExpectClosedAsync(TimeSpan.FromSeconds(5)));
    }

    private static (long From, string Text) Received(Chat.Protocol.ChatMessage message) => (message.From, message.Msg);

    private Dictionary<string, string?> Settings()
    {
        var settings = _files.ServerSettings();
        settings["Chat:HttpPort"] = "0";
        return settings;
    }

    private static HttpClient HttpClientTrusting(string thumbprint) => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
    })
    {
        Timeout = TestTimeouts.Default,
    };
}
