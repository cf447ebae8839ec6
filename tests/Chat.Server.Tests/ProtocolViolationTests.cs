using Chat.TestKit;

namespace Chat.Server.Tests;

public class ProtocolViolationTests
{
    public static TheoryData<string, byte[], string> Violations => new()
    {
        // 65,537 as a varint: one byte over the default limit; no body follows, and none is awaited.
        { "length over the limit", [0x81, 0x80, 0x04], "65537" },
        { "six-byte prefix", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "longer than 5 bytes" },
        // Field 3 announces 16 bytes of text inside a 4-byte body.
        { "body that is not a ChatMessage", [0x04, 0x1A, 0x10, 0x68, 0x69], "ChatMessage" },
        // msg = C3 28, an invalid UTF-8 sequence.
        { "invalid UTF-8 in msg", [0x04, 0x1A, 0x02, 0xC3, 0x28], "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task ViolationClosesOnlyThatConnectionAfterOneNotice(string violation, byte[] bytes, string reason)
    {
        await using var server = await TestServer.StartAsync();
        await using var bystander = await server.ConnectAsync();
        await using var offender = await server.ConnectAsync();

        await offender.SendRawAsync(bytes);
        var before = await offender.ExpectClosedAsync();

        var notice = Assert.Single(before);
        Assert.Equal(0, notice.From);
        Assert.Equal(offender.Id, notice.To);
        Assert.Contains(reason, notice.Msg, StringComparison.Ordinal);
        await server.WaitForUserCountAsync(1);
        await bystander.SendAsync(bystander.Id, $"still here after {violation}");
        Assert.Equal($"still here after {violation}", (await bystander.ReceiveMessageAsync()).Msg);
    }

    [Fact]
    public async Task MessagesBeforeTheViolationAreStillEchoed()
    {
        await using var server = await TestServer.StartAsync();
        await using var offender = await server.ConnectAsync();

        await offender.SendAsync(0, "fine");
        await offender.SendRawAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF });
        var before = await offender.ExpectClosedAsync();

        Assert.Equal(["fine", before[1].Msg], before.Select(message => message.Msg));
        Assert.Equal(0, before[1].From);
    }
}
