using System.Globalization;
using System.Text.RegularExpressions;
using Chat.Protocol;
using Chat.TestKit;

namespace Chat.Server.Tests;

/// <summary>
/// Both shipped clients, as real processes, given text meant to take over a terminal (issue 14):
/// from another user through a real server, and as a refusal reason from a server.
/// </summary>
public class ClientTerminalInjectionTests
{
    [Theory]
    [InlineData(ClientProgram.DotNet)]
    [InlineData(ClientProgram.Python)]
    public async Task HostileMessagesArePrintedVisiblyOneLineEach(ClientProgram program)
    {
        await using var server = await TestServer.StartAsync();
        await using var sender = await server.ConnectAsync();
        await using var client = await ClientPrograms.StartAsync(program, server.EndPoint.Port);
        var id = IdFrom(await client.ReadOutputLineAsync());

        foreach (var (sent, _) in HostileText.Samples)
        {
            await sender.SendAsync(id, sent);
        }

        foreach (var (_, shown) in HostileText.Samples)
        {
            Assert.Equal($"[{sender.Id} -> me] {shown}", await client.ReadOutputLineAsync());
        }

        await client.WriteLineAsync("/quit");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal(string.Empty, await client.ReadRemainingOutputAsync());
    }

    [Theory]
    [InlineData(ClientProgram.DotNet)]
    [InlineData(ClientProgram.Python)]
    public async Task AHostileRefusalReasonIsPrintedVisiblyOnOneLine(ClientProgram program)
    {
        await using var server = FakeServer.Start();
        await using var client = await ClientPrograms.StartAsync(program, server.Port);
        await server.AcceptAsync();
        var reason = string.Concat(HostileText.Samples.Select(sample => sample.Sent));
        var shown = string.Concat(HostileText.Samples.Select(sample => sample.Shown));

        await server.SendFrameAsync(new Handshake { Error = true, Reason = reason, Refusal = Refusal.ServerFull, RetryAfterMs = 1000 });
        server.CloseConnection();

        Assert.Equal(1, await client.WaitForExitAsync());
        var errors = await client.ReadRemainingErrorAsync();
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"refused: {shown} (", line, StringComparison.Ordinal);
    }

    private static long IdFrom(string greeting)
    {
        var match = Regex.Match(greeting, @"^connected as user (\d+)$");
        Assert.True(match.Success, $"expected 'connected as user N', got '{greeting}'");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
