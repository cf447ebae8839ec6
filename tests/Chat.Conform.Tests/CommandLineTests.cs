using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chat.Conform.Tests.Faulty;
using Chat.TestKit;

namespace Chat.Conform.Tests;

/// <summary>The real chat-conform program: against our real chat-server process, and against a faulty server.</summary>
public partial class CommandLineTests
{
    [Fact]
    public async Task ContractLevelPassesOnOurRealServerAndStopsItGracefully()
    {
        await using var server = ProgramProcess.Start("chat-server",
            "--host", "127.0.0.1", "--port", "0", "--max-users", "5", "--shutdown-timeout", "1", "--admin-socket", "");
        var listening = ListeningOn().Match(await server.WaitForErrorAsync(line => ListeningOn().IsMatch(line)));
        var html = Path.Combine(Path.GetTempPath(), $"chat-conform-{Guid.NewGuid():N}.html");

        await using var conform = ProgramProcess.Start("chat-conform",
            "--port", listening.Groups["port"].Value, "--max-users", "5", "--timeout", "5",
            "--server-pid", server.ProcessId.ToString(CultureInfo.InvariantCulture),
            "--html", html);
        var lines = await ReadUntilSummaryAsync(conform);

        Assert.True(await conform.WaitForExitAsync() == 0, string.Join('\n', lines));
        Assert.All(lines.Skip(1).SkipLast(1), line => Assert.StartsWith("PASS  ", line, StringComparison.Ordinal));
        Assert.Matches(@"^\d+ passed, 0 failed, 0 skipped in [\d.]+ s$", lines[^1]);
        Assert.Equal(0, await server.WaitForExitAsync());
        var page = await File.ReadAllTextAsync(html);
        File.Delete(html);
        Assert.Contains("<table>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFaultyServerGetsAFailLineThatSaysWhyAndExitCodeOne()
    {
        await using var server = FaultyServer.Start(Fault.NoEcho, ConformRun.MaxUsers);

        await using var conform = ProgramProcess.Start("chat-conform",
            "--port", server.EndPoint.Port.ToString(CultureInfo.InvariantCulture), "--level", "assignment", "--timeout", "1");
        var lines = await ReadUntilSummaryAsync(conform);

        Assert.Equal(1, await conform.WaitForExitAsync());
        Assert.Contains(lines, line => line.StartsWith("PASS  handshake-first", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("FAIL  echo", StringComparison.Ordinal) && line.Contains("got no echo", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("SKIP  refusal", StringComparison.Ordinal) && line.Contains("--max-users", StringComparison.Ordinal));
        Assert.StartsWith("2 passed, 1 failed, 2 skipped", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonReportCountsAndExplainsEveryCheck()
    {
        await using var server = FaultyServer.Start(Fault.TrustsClientFrom, ConformRun.MaxUsers);

        await using var conform = ProgramProcess.Start("chat-conform",
            "--port", server.EndPoint.Port.ToString(CultureInfo.InvariantCulture), "--only", "echo,from-not-trusted", "--json");
        Assert.Equal(1, await conform.WaitForExitAsync());
        using var json = JsonDocument.Parse(await conform.ReadRemainingOutputAsync());

        Assert.Equal(1, json.RootElement.GetProperty("passed").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("failed").GetInt32());
        var failed = json.RootElement.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("status").GetString() == "fail");
        Assert.Equal("from-not-trusted", failed.GetProperty("name").GetString());
        Assert.Contains("never trust a client's from", failed.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("docs/PROTOCOL.md#", failed.GetProperty("ruleLink").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCheckNameIsAUsageErrorThatListsTheChecks()
    {
        await using var conform = ProgramProcess.Start("chat-conform", "--port", "1", "--only", "echo,no-such-check");

        var error = await conform.WaitForErrorAsync(line => line.Contains("no-such-check", StringComparison.Ordinal));

        Assert.Contains("handshake-first", error, StringComparison.Ordinal);
        Assert.Equal(2, await conform.WaitForExitAsync());
    }

    // Every line of the text report, through the summary; each line has its own deadline.
    private static async Task<List<string>> ReadUntilSummaryAsync(ProgramProcess conform)
    {
        var lines = new List<string>();
        do
        {
            lines.Add(await conform.ReadOutputLineAsync());
        }
        while (!Summary().IsMatch(lines[^1]));

        return lines;
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"^\d+ passed, \d+ failed")]
    private static partial Regex Summary();
}
