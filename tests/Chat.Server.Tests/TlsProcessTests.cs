using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The real chat-server process with a TLS port: start-up errors and SIGHUP.</summary>
public sealed partial class TlsProcessTests : IDisposable
{
    private const int SigHup = 1;
    private const int SigTerm = 15;
    private readonly TestCertificateFiles _files = TestCertificateFiles.CreateSelfSigned();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task MissingCertificateFileStopsStartUpWithExitCodeTwoAndOneLine()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"chat-{Guid.NewGuid():N}", "fullchain.pem");
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0",
            "--tls-port", "0", "--tls-cert", missing, "--tls-key", _files.KeyPath);

        Assert.Equal(2, await server.WaitForExitAsync());
        var lines = (await server.ReadRemainingErrorAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var complaint = Assert.Single(lines);
        Assert.StartsWith("chat-server: bad configuration: cannot read the TLS files: ", complaint, StringComparison.Ordinal);
        Assert.Contains(missing, complaint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyThatDoesNotMatchTheCertificateStopsStartUpWithExitCodeTwoAndOneLine()
    {
        _files.WriteMismatchedKey();
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0",
            "--tls-port", "0", "--tls-cert", _files.CertificatePath, "--tls-key", _files.KeyPath);

        Assert.Equal(2, await server.WaitForExitAsync());
        var lines = (await server.ReadRemainingErrorAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            $"chat-server: bad configuration: TlsKey '{_files.KeyPath}' does not match the certificate in TlsCertificate '{_files.CertificatePath}'.",
            Assert.Single(lines));
    }

    [Fact]
    public async Task SighupServesTheRenewedCertificateToNewConnectionsWhileOldOnesKeepChatting()
    {
        await using var server = ProgramProcess.Start("chat-server", "--host", "127.0.0.1", "--port", "0",
            "--tls-port", "0", "--tls-cert", _files.CertificatePath, "--tls-key", _files.KeyPath);
        var tlsEndPoint = await WaitForTlsAsync(server);
        await using var before = await TestConnection.ConnectTlsAsync(tlsEndPoint);
        await before.ReceiveHandshakeAsync();
        var oldThumbprint = _files.Thumbprint;
        Assert.Equal(oldThumbprint, before.ServerCertificate?.Thumbprint);

        _files.RenewSelfSigned("CN=chat-test renewed");
        server.Signal(SigHup);
        await server.WaitForErrorAsync(line => line.Contains($"TLS certificate loaded: CN=chat-test renewed", StringComparison.Ordinal));

        await using var after = await TestConnection.ConnectTlsAsync(tlsEndPoint);
        await after.ReceiveHandshakeAsync();
        Assert.Equal(_files.Thumbprint, after.ServerCertificate?.Thumbprint);
        Assert.NotEqual(oldThumbprint, _files.Thumbprint);
        await before.SendAsync(after.Id, "still chatting");
        Assert.Equal("still chatting", (await before.ReceiveMessageAsync()).Msg);
        Assert.Equal("still chatting", (await after.ReceiveMessageAsync()).Msg);

        server.Signal(SigTerm);
        await before.DisposeAsync();
        await after.DisposeAsync();
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task PlainTextClientOnTheTlsPortIsClosedAndLoggedAtDebug()
    {
        var debugTls = new Dictionary<string, string> { ["Logging__LogLevel__Microsoft.AspNetCore.Server.Kestrel.Https"] = "Debug" };
        await using var server = ProgramProcess.Start("chat-server", debugTls, "--host", "127.0.0.1", "--port", "0",
            "--tls-port", "0", "--tls-cert", _files.CertificatePath, "--tls-key", _files.KeyPath);
        var tlsEndPoint = await WaitForTlsAsync(server);
        await using var confused = await TestConnection.ConnectAsync(tlsEndPoint);

        await confused.SendAsync(0, "hello?");

        Assert.Empty(await confused.ExpectClosedAsync());
        var logged = await server.WaitForErrorAsync(line => line.Contains("Failed to authenticate HTTPS connection", StringComparison.Ordinal));
        Assert.Contains("dbug: Microsoft.AspNetCore.Server.Kestrel.Https", logged, StringComparison.Ordinal);
        server.Signal(SigTerm);
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    internal static async Task<IPEndPoint> WaitForTlsAsync(ProgramProcess server)
    {
        var line = await server.WaitForErrorAsync(line => line.StartsWith("chat-server TLS on ", StringComparison.Ordinal));
        var match = TlsLine().Match(line);
        return new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"TLS on ([0-9.]+):(\d+)")]
    private static partial Regex TlsLine();
}
