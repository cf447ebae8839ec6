using Chat.Client;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The clients over TLS: the library, the console client and the Python example.</summary>
public sealed class TlsClientTests : IDisposable
{
    private readonly TestCertificateFiles _files = TestCertificateFiles.CreateSelfSigned();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ConsoleClientWithTlsCaChatsWithAPlainUser()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var plain = await server.ConnectAsync();
        await using var client = ProgramProcess.Start("chat-client", "--host", "127.0.0.1", "--port", $"{server.TlsEndPoint.Port}",
            "--tls", "--tls-ca", _files.AuthorityPath);

        Assert.Matches(@"^connected as user \d+$", await client.ReadOutputLineAsync());
        await client.WriteLineAsync($"@{plain.Id} over tls");
        client.CloseInput();

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains($"[me -> {plain.Id}] over tls", await client.ReadRemainingOutputAsync(), StringComparison.Ordinal);
        Assert.Equal("over tls", (await plain.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task ConsoleClientRefusesAnUntrustedCertificateWithOneLine()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var client = ProgramProcess.Start("chat-client", "--host", "127.0.0.1", "--port", $"{server.TlsEndPoint.Port}", "--tls");

        Assert.Equal(3, await client.WaitForExitAsync());
        var error = await client.ReadRemainingErrorAsync();
        Assert.StartsWith("TLS failed with 127.0.0.1:", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ConsoleClientWithTlsInsecureWarnsAndConnects()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var client = ProgramProcess.Start("chat-client", "--host", "127.0.0.1", "--port", $"{server.TlsEndPoint.Port}", "--tls-insecure");

        Assert.StartsWith("warning: --tls-insecure", await client.WaitForErrorAsync(_ => true), StringComparison.Ordinal);
        Assert.Matches(@"^connected as user \d+$", await client.ReadOutputLineAsync());
        client.CloseInput();
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task LibraryClientWithTheCertificateAsItsAuthorityEchoesOverTls()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        var authorities = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        authorities.ImportFromPemFile(_files.AuthorityPath);

        await using var client = await ChatClient.ConnectAsync("127.0.0.1", server.TlsEndPoint.Port,
            new ChatClientOptions { UseTls = true, TlsCertificateAuthorities = authorities });
        await client.SendAsync(0, "secret");

        var echo = await client.ReceiveAsync();
        Assert.Equal((client.Id, "secret"), (echo?.From, echo?.Msg));
    }

    [Fact]
    public async Task PythonClientWithCafileChatsWithAPlainUser()
    {
        await using var server = await TestServer.StartAsync(_files.ServerSettings());
        await using var plain = await server.ConnectAsync();
        await using var client = await PythonTooling.StartClientAsync("--host", "127.0.0.1", "--port", $"{server.TlsEndPoint.Port}",
            "--tls", "--cafile", _files.AuthorityPath);

        var greeting = await client.ReadOutputLineAsync();
        Assert.Matches(@"^connected as user \d+$", greeting);
        await plain.SendAsync(long.Parse(greeting["connected as user ".Length..], System.Globalization.CultureInfo.InvariantCulture), "to python");
        Assert.Equal($"[{plain.Id} -> me] to python", await client.ReadOutputLineAsync());
        Assert.Equal("to python", (await plain.ReceiveMessageAsync()).Msg);
        await client.WriteLineAsync($"@{plain.Id} python over tls");
        client.CloseInput();

        Assert.Equal(0, await client.WaitForExitAsync());
        var output = await client.ReadRemainingOutputAsync();
        Assert.Contains($"[me -> {plain.Id}] python over tls", output, StringComparison.Ordinal);
        Assert.Equal("python over tls", (await plain.ReceiveMessageAsync()).Msg);
    }
}
