using System.Net;
using System.Net.Sockets;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// Both shipped clients, as real processes, against servers that fail them (issue 14): each failure
/// is one line on standard error that says what happened, and the exit code the README documents.
/// </summary>
public class ClientFailureTests
{
    // The exit codes in the README's table.
    private const int Usage = 2;
    private const int ConnectionProblem = 3;

    public static TheoryData<ClientProgram, string, string> BadHandshakes()
    {
        var cases = new TheoryData<ClientProgram, string, string>();
        foreach (var program in Enum.GetValues<ClientProgram>())
        {
            // A frame whose body is not a Handshake.
            cases.Add(program, "03 FF FF FF", "protocol error: frame body is not a valid Handshake");
            // A length prefix of 4 GiB.
            cases.Add(program, "FF FF FF FF 0F", "protocol error: frame length 4294967295 is over the limit");
            // An empty Handshake: id 0 and no error, so it neither accepts nor refuses.
            cases.Add(program, "00", "protocol error: the handshake neither refuses nor assigns an id (id 0)");
            // Another protocol altogether: 'H' announces 72 bytes, and fewer come before the close.
            cases.Add(program, "48 54 54 50 2F 31 2E 31 20 34 30 30 0D 0A 0D 0A", "protocol error: the connection closed in the middle of a frame");
            // Nothing at all.
            cases.Add(program, string.Empty, "protocol error: the server closed the connection before its handshake");
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(BadHandshakes))]
    public async Task ABadHandshakeIsOneLineAndExitCode3(ClientProgram program, string bytes, string expected)
    {
        await using var server = FakeServer.Start();
        await using var client = await ClientPrograms.StartAsync(program, server.Port);
        await server.AcceptAsync();

        await server.SendAsync(Convert.FromHexString(bytes.Replace(" ", string.Empty, StringComparison.Ordinal)));
        server.CloseConnection();

        Assert.Equal(ConnectionProblem, await client.WaitForExitAsync());
        Assert.StartsWith(expected, await SingleErrorLineAsync(client), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientProgram.DotNet)]
    [InlineData(ClientProgram.Python)]
    public async Task ASilentServerIsOneLineAndExitCode3(ClientProgram program)
    {
        await using var server = FakeServer.Start();
        await using var client = await ClientPrograms.StartAsync(program, server.Port, "--connect-timeout", "1");
        await server.AcceptAsync();

        Assert.Equal(ConnectionProblem, await client.WaitForExitAsync());
        Assert.Equal($"no handshake from 127.0.0.1:{server.Port} within 1 s", await SingleErrorLineAsync(client));
    }

    [Theory]
    [InlineData(ClientProgram.DotNet)]
    [InlineData(ClientProgram.Python)]
    public async Task NoServerAtAllIsOneLineAndExitCode3(ClientProgram program)
    {
        var port = UnusedPort();
        await using var client = await ClientPrograms.StartAsync(program, port);

        Assert.Equal(ConnectionProblem, await client.WaitForExitAsync());
        Assert.StartsWith($"cannot connect to 127.0.0.1:{port}: ", await SingleErrorLineAsync(client), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ClientProgram.DotNet)]
    [InlineData(ClientProgram.Python)]
    public async Task ABadFrameAfterTheHandshakeIsOneLineAndExitCode3(ClientProgram program)
    {
        await using var server = FakeServer.Start();
        await using var client = await ClientPrograms.StartAsync(program, server.Port);
        await server.AcceptAsync();
        await server.SendFrameAsync(new Handshake { Id = 1 });
        Assert.Equal("connected as user 1", await client.ReadOutputLineAsync());

        await server.SendAsync([0x03, 0xFF, 0xFF, 0xFF]);
        var complaint = await client.WaitForErrorAsync(line => line.Length > 0);
        client.CloseInput();

        Assert.StartsWith("protocol error: frame body is not a valid ChatMessage", complaint, StringComparison.Ordinal);
        Assert.Equal(ConnectionProblem, await client.WaitForExitAsync());
        Assert.Equal(string.Empty, await client.ReadRemainingErrorAsync());
    }

    [Theory]
    [InlineData(ClientProgram.DotNet)]
    [InlineData(ClientProgram.Python)]
    public async Task AServerThatClosesBeforeTheEchoIsOneLineAndExitCode3(ClientProgram program)
    {
        await using var server = FakeServer.Start();
        await using var client = await ClientPrograms.StartAsync(program, server.Port);
        await server.AcceptAsync();
        await server.SendFrameAsync(new Handshake { Id = 1 });
        Assert.Equal("connected as user 1", await client.ReadOutputLineAsync());

        await client.WriteLineAsync("hello");
        Assert.Equal("hello", (await server.ReceiveMessageAsync()).Msg);
        server.CloseConnection();
        await client.WaitForOutputAsync(line => line == "* the server closed the connection");
        client.CloseInput();

        Assert.Equal(ConnectionProblem, await client.WaitForExitAsync());
        Assert.Equal("1 of 1 messages sent were not echoed: the connection ended", await SingleErrorLineAsync(client));
    }

    [Theory]
    [InlineData(ClientProgram.DotNet, "--port", "70000")]
    [InlineData(ClientProgram.Python, "--port", "70000")]
    [InlineData(ClientProgram.DotNet, "--port", "0")]
    [InlineData(ClientProgram.Python, "--port", "0")]
    [InlineData(ClientProgram.DotNet, "--connect-timeout", "0")]
    [InlineData(ClientProgram.Python, "--connect-timeout", "0")]
    public async Task AnUnusableArgumentIsAUsageErrorWithExitCode2(ClientProgram program, string option, string value)
    {
        await using var client = await ClientPrograms.StartWithArgumentsAsync(program, option, value);

        Assert.Equal(Usage, await client.WaitForExitAsync());
        var errors = await client.ReadRemainingErrorAsync();
        Assert.Contains(option, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Traceback", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
    }

    private static async Task<string> SingleErrorLineAsync(ProgramProcess client)
    {
        var errors = await client.ReadRemainingErrorAsync();
        return Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    // A port nothing listens on: one the system just handed out and took back.
    private static int UnusedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
