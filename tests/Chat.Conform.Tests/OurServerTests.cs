using System.Globalization;
using Chat.Conform.Running;
using Chat.TestKit;

namespace Chat.Conform.Tests;

/// <summary>Every check passes on our own server.</summary>
public class OurServerTests
{
    public static TheoryData<string> Checks => [.. ConformRun.CheckNames];

    [Theory]
    [MemberData(nameof(Checks))]
    public async Task CheckPassesOnOurServer(string check)
    {
        await using var server = await StartAsync();

        var result = await ConformRun.CheckAsync(check, server.EndPoint, new TestServerProcess(server), ConformRun.OurServerTimeout);

        Assert.True(result.Status == CheckStatus.Passed, ConformRun.Describe(result));
    }

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Chat:MaxUsers"] = ConformRun.MaxUsers.ToString(CultureInfo.InvariantCulture),
    });
}
