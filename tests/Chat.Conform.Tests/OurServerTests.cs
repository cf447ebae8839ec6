using System.Globalization;
using Chat.Conform.Running;
using Chat.TestKit;

namespace Chat.Conform.Tests;

/// <summary>Every check passes on our own server, but for the defects it is known to have (each names its issue).</summary>
public class OurServerTests
{
    /// <summary>
    /// Checks our server fails today, with the issue that fixes it. When the fix lands, the test below
    /// fails: remove the entry then, and the check joins the others.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KnownDefects = new Dictionary<string, string>
    {
        // PROTOCOL.md Conversation 5: a client's own echoes never make it a slow consumer. Our server
        // disconnects a client that sends 12 MB before reading as SlowConsumer (issue 9).
        ["fast-sender"] = "issue 9",
    };

    public static TheoryData<string> ChecksOurServerPasses => [.. ConformRun.CheckNames.Where(name => !KnownDefects.ContainsKey(name))];

    public static TheoryData<string> ChecksOurServerFails => [.. KnownDefects.Keys];

    [Theory]
    [MemberData(nameof(ChecksOurServerPasses))]
    public async Task CheckPassesOnOurServer(string check)
    {
        await using var server = await StartAsync();

        var result = await ConformRun.CheckAsync(check, server.EndPoint, new TestServerProcess(server), ConformRun.OurServerTimeout);

        Assert.True(result.Status == CheckStatus.Passed, ConformRun.Describe(result));
    }

    [Theory]
    [MemberData(nameof(ChecksOurServerFails))]
    public async Task KnownDefectStillFailsOnOurServerUntilItsIssueIsFixed(string check)
    {
        await using var server = await StartAsync();

        var result = await ConformRun.CheckAsync(check, server.EndPoint, new TestServerProcess(server), ConformRun.OurServerTimeout);

        Assert.True(result.Status == CheckStatus.Failed,
            $"{check} now passes on our server: {KnownDefects[check]} is fixed, so remove it from {nameof(KnownDefects)}");
    }

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:MaxUsers"] = ConformRun.MaxUsers.ToString(CultureInfo.InvariantCulture),
    });
}
