using System.Globalization;
using System.Text.RegularExpressions;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// The example Python client (examples/python) against a real server: the protocol works from a
/// language other than C#, with Google's protobuf runtime and code generated from our chat.proto.
/// </summary>
public class PythonClientTests
{
    [Fact]
    public async Task PipedLinesAreSentAndTheClientExitsOnceTheirEchoesArrived()
    {
        await using var server = await TestServer.StartAsync();
        await using var listener = await server.ConnectAsync();
        await using var client = await PythonTooling.StartClientAsync(server.EndPoint.Port);

        var greeting = await client.ReadOutputLineAsync();
        await client.WriteLineAsync("hello everyone");
        await client.WriteLineAsync($"@{listener.Id} just you");
        await client.WriteLineAsync("@99 nobody");
        client.CloseInput();

        Assert.Equal(0, await client.WaitForExitAsync());
        var output = await client.ReadRemainingOutputAsync();
        var id = IdFrom(greeting);
        Assert.Contains("[me -> all] hello everyone", output, StringComparison.Ordinal);
        Assert.Contains($"[me -> {listener.Id}] just you", output, StringComparison.Ordinal);
        Assert.Contains("* server: user 99 is not connected", output, StringComparison.Ordinal);
        var broadcast = await listener.ReceiveMessageAsync();
        var direct = await listener.ReceiveMessageAsync();
        Assert.Equal((id, -1L, "hello everyone"), (broadcast.From, broadcast.To, broadcast.Msg));
        Assert.Equal((id, listener.Id, "just you"), (direct.From, direct.To, direct.Msg));
    }

    [Fact]
    public async Task MessagesToThePythonClientArePrintedWhileItWaitsForInput()
    {
        await using var server = await TestServer.StartAsync();
        await using var sender = await server.ConnectAsync();
        await using var client = await PythonTooling.StartClientAsync(server.EndPoint.Port);
        var id = IdFrom(await client.ReadOutputLineAsync());

        await sender.SendAsync(id, "hi python");
        await sender.SendAsync(-1, "hi all");

        Assert.Equal($"[{sender.Id} -> me] hi python", await client.ReadOutputLineAsync());
        Assert.Equal($"[{sender.Id} -> all] hi all", await client.ReadOutputLineAsync());
        await client.WriteLineAsync("/quit");
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task ThePythonClientLeavesAtTheNextLineOnceTheServerHasClosed()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await PythonTooling.StartClientAsync(server.EndPoint.Port);
        IdFrom(await client.ReadOutputLineAsync());

        server.RequestShutdown(TimeSpan.Zero);
        await client.WaitForOutputAsync(line => line == "* the server closed the connection");
        await client.WriteLineAsync("too late");

        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task RefusedPythonClientNamesTheRefusalCodeAndExitsNonZero()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "1" });
        await using var occupant = await server.ConnectAsync();
        await using var client = await PythonTooling.StartClientAsync(server.EndPoint.Port);

        var complaint = await client.WaitForErrorAsync(line => line.StartsWith("refused:", StringComparison.Ordinal));

        Assert.Contains("full", complaint, StringComparison.Ordinal);
        Assert.Contains("(SERVER_FULL, retry after 1000 ms)", complaint, StringComparison.Ordinal);
        Assert.NotEqual(0, await client.WaitForExitAsync());
    }

    private static long IdFrom(string greeting)
    {
        var match = Regex.Match(greeting, @"^connected as user (\d+)$");
        Assert.True(match.Success, $"expected 'connected as user N', got '{greeting}'");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
