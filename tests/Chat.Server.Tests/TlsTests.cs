using System.Security.Authentication;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The TLS port (Chat:TlsPort) beside the plain one, with a certificate made by the test.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly TestCertificateFiles _files = TestCertificateFiles.CreateSelfSigned();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task TlsUserAndPlainUserChatWithEachOther()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var secure = await server.ConnectTlsAsync();
        await using var plain = await server.ConnectAsync();

        Assert.Equal(_files.Thumbprint, secure.ServerCertificate?.Thumbprint);
        await secure.SendAsync(plain.Id, "over tls");
        var echo = await secure.ReceiveMessageAsync();
        Assert.Equal((secure.Id, plain.Id, "over tls"), (echo.From, echo.To, echo.Msg));
        var delivered = await plain.ReceiveMessageAsync();
        Assert.Equal((secure.Id, plain.Id, "over tls"), (delivered.From, delivered.To, delivered.Msg));

        await plain.SendAsync(-1, "in the clear");
        Assert.Equal("in the clear", (await plain.ReceiveMessageAsync()).Msg);
        var broadcast = await secure.ReceiveMessageAsync();
        Assert.Equal((plain.Id, -1L, "in the clear"), (broadcast.From, broadcast.To, broadcast.Msg));
    }

    [Fact]
    public async Task TlsOnePointTwoAndOnePointThreeAreBothServed()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());

        await using var newest = await TestConnection.ConnectTlsAsync(server.TlsEndPoint);
        await using var older = await TestConnection.ConnectTlsAsync(server.TlsEndPoint, protocols: SslProtocols.Tls12);

        Assert.Equal(SslProtocols.Tls13, newest.TlsProtocol);
        Assert.Equal(SslProtocols.Tls12, older.TlsProtocol);
        Assert.False((await older.ReceiveHandshakeAsync()).Error);
    }

    [Fact]
    public async Task APfxGivenAloneAsTheCertificateIsServed()
    {
        var settings = new Dictionary<string, string?> { ["Chat:TlsPort"] = "0", ["Chat:TlsCertificate"] = _files.WritePfx() };
        await using var server = await TestServer.StartAsync(settings);

        await using var secure = await server.ConnectTlsAsync();

        Assert.Equal(_files.Thumbprint, secure.ServerCertificate?.Thumbprint);
    }

    [Fact]
    public async Task ClientThatNeverStartsTlsIsClosedAfterTheHandshakeTimeoutWithoutBlockingOthers()
    {
        await using var server = await TestServer.StartAsync(WithHandshakeTimeout("00:00:00.5"));
        await using var silent = await TestConnection.ConnectAsync(server.TlsEndPoint);

        // While it says nothing, others connect and chat over TLS.
        await using var other = await server.ConnectTlsAsync();
        await other.SendAsync(0, "not blocked");
        Assert.Equal("not blocked", (await other.ReceiveMessageAsync()).Msg);

        // The test's default wait is 15 s, Kestrel's own default 10 s: closing within 5 s is our setting.
        Assert.Empty(await silent.ExpectClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, server.Hub.Registry.Count);
    }

    [Fact]
    public async Task ClientStalledInTheMiddleOfTheTlsHandshakeIsClosedAfterTheHandshakeTimeout()
    {
        await using var server = await TestServer.StartAsync(WithHandshakeTimeout("00:00:00.5"));
        await using var stalled = await TestConnection.ConnectAsync(server.TlsEndPoint);

        // A TLS record header announcing a 512-byte ClientHello, and only the first bytes of it.
        await stalled.SendRawAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03 });

        await using var other = await server.ConnectTlsAsync();
        await other.SendAsync(0, "still served");
        Assert.Equal("still served", (await other.ReceiveMessageAsync()).Msg);
        Assert.Empty(await stalled.ExpectClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task PlainTextClientOnTheTlsPortIsClosedAndTheServerKeepsServing()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var confused = await TestConnection.ConnectAsync(server.TlsEndPoint);

        // What a plain client would send after its handshake, which never comes on this port.
        await confused.SendAsync(0, "hello?");

        Assert.Empty(await confused.ExpectClosedAsync());
        Assert.Equal(0, server.Hub.Registry.Count);
        await using var plain = await server.ConnectAsync();
        await using var secure = await server.ConnectTlsAsync();
        await plain.SendAsync(secure.Id, "still here");
        Assert.Equal("still here", (await secure.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task ReloadTlsServesTheNewCertificateToNewConnectionsWhileOldOnesKeepChatting()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var before = await server.ConnectTlsAsync();
        var oldThumbprint = _files.Thumbprint;
        Assert.Equal(oldThumbprint, before.ServerCertificate?.Thumbprint);

        _files.RenewSelfSigned("CN=chat-test renewed");
        var reply = server.RunCommand("reload.tls");

        Assert.StartsWith("loaded CN=chat-test renewed, expires ", reply, StringComparison.Ordinal);
        Assert.Contains(_files.Thumbprint, reply, StringComparison.Ordinal);
        await using var after = await server.ConnectTlsAsync();
        Assert.Equal(_files.Thumbprint, after.ServerCertificate?.Thumbprint);
        Assert.NotEqual(oldThumbprint, _files.Thumbprint);

        await before.SendAsync(after.Id, "from before the reload");
        Assert.Equal("from before the reload", (await before.ReceiveMessageAsync()).Msg);
        Assert.Equal("from before the reload", (await after.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task ReloadTlsWithABadKeySaysSoAndKeepsTheOldCertificate()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        var oldThumbprint = _files.Thumbprint;

        _files.WriteMismatchedKey();
        var reply = server.RunCommand("reload.tls");

        Assert.True(reply.StartsWith("reload.tls: TlsKey ", StringComparison.Ordinal), reply);
        Assert.Contains($"The old certificate stays: CN=chat-test, expires ", reply, StringComparison.Ordinal);
        Assert.Single(reply.Split('\n'));
        await using var after = await server.ConnectTlsAsync();
        Assert.Equal(oldThumbprint, after.ServerCertificate?.Thumbprint);
    }

    [Fact]
    public async Task ReloadTlsSaysTlsIsOffWhenThereIsNoTlsPort()
    {
        await using var server = await TestServer.StartAsync();

        Assert.StartsWith("reload.tls: TLS is off", server.RunCommand("reload.tls"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIntermediatesOfTheCertificateFileAreSentSoAClientTrustingOnlyTheRootConnects()
    {
        using var chain = TestCertificateFiles.CreateIssuedByAuthority();
        await using var server = await TestServer.StartAsync(chain.ServerSettings());
        var options = new Chat.Client.ChatClientOptions { UseTls = true, TlsCertificateAuthorities = LoadAuthorities(chain.AuthorityPath) };

        await using var client = await Chat.Client.ChatClient.ConnectAsync("localhost", server.TlsEndPoint.Port, options);
        await client.SendAsync(0, "chained");

        Assert.Equal("chained", (await client.ReceiveAsync())?.Msg);
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities;
    }

    private Dictionary<string, string?> WithHandshakeTimeout(string timeout)
    {
        var settings = _files.ServerSettings();
        settings["Chat:HandshakeTimeout"] = timeout;
        return settings;
    }
}
