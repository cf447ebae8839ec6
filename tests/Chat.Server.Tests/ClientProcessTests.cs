using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>The real chat-client process against a real server.</summary>
public class ClientProcessTests
{
    [Fact]
    public async Task PipedLinesAreSentAndTheirEchoesPrintedBeforeTheClientExits()
    {
        await using var server = await TestServer.StartAsync();
        await using var listener = await server.ConnectAsync();
        await using var client = ProgramProcess.Start("chat-client", "--host", "127.0.0.1", "--port", $"{server.EndPoint.Port}");

        var greeting = await client.ReadOutputLineAsync();
        await client.WriteLineAsync("hello everyone");
        await client.WriteLineAsync($"@{listener.Id} just you");
        await client.WriteLineAsync("@99 nobody");
        client.CloseInput();

        Assert.Equal(0, await client.WaitForExitAsync());
        var output = await client.ReadRemainingOutputAsync();
        Assert.Matches(@"^connected as user \d+$", greeting);
        Assert.Contains("[me -> all] hello everyone", output, StringComparison.Ordinal);
        Assert.Contains($"[me -> {listener.Id}] just you", output, StringComparison.Ordinal);
        Assert.Contains("* server: user 99 is not connected", output, StringComparison.Ordinal);
        Assert.Equal("hello everyone", (await listener.ReceiveMessageAsync()).Msg);
        Assert.Equal("just you", (await listener.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task RefusedClientSaysWhyAndExitsNonZero()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Chat:MaxUsers"] = "1" });
        await using var occupant = await server.ConnectAsync();
        await using var client = ProgramProcess.Start("chat-client", "--host", "127.0.0.1", "--port", $"{server.EndPoint.Port}");

        var complaint = await client.WaitForErrorAsync(line => line.StartsWith("refused:", StringComparison.Ordinal));

        Assert.Contains("full", complaint, StringComparison.Ordinal);
        Assert.NotEqual(0, await client.WaitForExitAsync());
    }
}
